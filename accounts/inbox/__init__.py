"""The in-app inbox pages: the Notifications list, opening an entry, and email settings.

The notification records themselves live in accounts.models and are written by
accounts.notifications.notify; these pages only read them for the signed-in user and mark them read.
"""

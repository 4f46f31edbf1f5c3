from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..pagecache import cached_for_reader
from ..pagination import window_page
from ..selectors import notification_setting_groups, notifications_for
from ..services import notification_mark_read, notification_settings_save, notifications_mark_all_read
from ..urls_safety import safe_next_path
from .forms import NotificationSettingsForm

PER_PAGE = 20


@cached_for_reader
@login_required
def notification_list(request):
    """The signed-in user's notifications, newest first, Newer/Older pages without counting the
    whole inbox (it only grows). The unread count comes from the top bar's context processor,
    so the page adds only the page's rows (notification_inbox_idx, in order)."""
    page = window_page(notifications_for(user=request.user), PER_PAGE, request.GET.get("page"))
    return render(request, "accounts/notifications/list.html", {"page": page, "nav_key": "notifications"})


@login_required
def notification_open(request, notification_id: int):
    """Opening an entry is a plain link: it marks the entry read and goes to its page.

    A GET that writes, on purpose: the write only records that the person saw it, repeating it
    changes nothing, and an inbox must work as ordinary links without JavaScript. Another
    person's notification answers 404; a link that is not a path on this site leads back to
    the inbox instead of off the site.
    """
    notification = get_object_or_404(
        notifications_for(user=request.user).only("pk", "link"), pk=notification_id
    )
    notification_mark_read(user=request.user, notification_id=notification.pk)
    return redirect(safe_next_path(notification.link) or "notifications:list")


@require_POST
@login_required
def notifications_read_all(request):
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    return redirect("notifications:list")


@login_required
def notification_settings(request):
    """Which notifications also come by email, one checkbox per kind the user can receive
    (see accounts.selectors.notification_setting_groups for who sees which)."""
    groups = notification_setting_groups(user=request.user)
    kinds = [choice["kind"] for group in groups for choice in group["kinds"]]
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, kinds=kinds)
    if request.method == "POST":
        if form.is_valid():
            notification_settings_save(
                user=request.user, kinds=kinds, email_enabled_kinds=form.cleaned_data["email"]
            )
            messages.success(request, "Your email settings are saved.")
            return redirect("notifications:settings")
        # Show the boxes as the person left them, not as stored.
        chosen = set(request.POST.getlist("email"))
        for group in groups:
            for choice in group["kinds"]:
                choice["email_enabled"] = choice["kind"] in chosen
    return render(
        request, "accounts/notifications/settings.html",
        {"form": form, "groups": groups, "nav_key": "notification-settings"},
    )

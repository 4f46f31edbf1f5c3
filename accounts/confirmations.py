"""One confirmation step for irreversible actions, with or without JavaScript."""

from django.http import HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmation_required(
    request, *, message: str, button: str, cancel_url: str, title: str = "Are you sure?",
    details: list[tuple[str, str]] = (), nav_key: str = "", button_class: str = "danger",
    items: list[str] = (), items_label: str = "",
) -> HttpResponse | None:
    """None when the POST carries ``confirm=yes``; otherwise a page that asks first.

    The page restates what will happen and posts every field again as hidden inputs, plus
    ``confirm=yes``, to the same URL: nothing is acted on and nothing typed is lost. With
    JavaScript, ``data-confirm`` asks in a dialog and adds ``confirm=yes`` itself
    (static/js/app.js), so the action is confirmed exactly once either way. ``items`` lists
    what an action on several things will act on, under the heading ``items_label``.
    """
    if request.POST.get(CONFIRM_FIELD) == "yes":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in values
    ]
    return render(request, "confirm.html", {
        "title": title, "message": message, "button": button, "button_class": button_class,
        "cancel_url": cancel_url,
        "details": [(label, value) for label, value in details if value], "fields": fields,
        "action": request.get_full_path(), "nav_key": nav_key,
        "items": list(items), "items_label": items_label,
    })

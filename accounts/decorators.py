from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def client_required(view):
    """Signed-in members of a client company only; anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_client:
            raise Http404("This page is for client companies.")
        return view(request, *args, **kwargs)

    return wrapper


def freelancer_required(view):
    """Signed-in freelancers only; anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_freelancer:
            raise Http404("This page is for freelancers.")
        return view(request, *args, **kwargs)

    return wrapper

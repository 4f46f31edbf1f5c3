"""The site's own URLs plus the benchmark's bare views, reachable only under the benchmark's
settings (benchmarks.http.settings): the floor each page is compared with, through the same
middleware (sessions, CSRF, security headers) but without a query or a template; and the floor of
any decision, a signed-in POST that writes one row."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path, reverse
from django.views.decorators.http import require_GET, require_POST


@require_GET
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def bare_post(request):
    # CSRF-checked like every POST of the site: the benchmark sends the cookie and the header.
    return HttpResponse("ok", content_type="text/plain")


@require_POST
@login_required
def signed_in_write(request):
    """The least any decision does, and nothing more: the reader's session and user read (as the
    request page's approve POST reads them), one row written in a transaction of its own and
    committed (the session's: SessionMiddleware saves a modified session after the view), and a
    redirect. Not a page with a target: the benchmark prints its share of the bare POST beside
    the decisions', each of which does all of this and more."""
    request.session.modified = True
    return HttpResponseRedirect(reverse("bench_bare"))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare/post/", bare_post, name="bench_bare_post"),
    path("bench/signed-in-write/", signed_in_write, name="bench_signed_in_write"),
    path("", include("config.urls")),
]

"""The site's own URLs plus two bare views, reachable only under the benchmark's settings
(benchmarks.http.settings): the floor each page is compared with, through the same middleware
(sessions, CSRF, security headers) but without a query or a template."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET, require_POST


@require_GET
def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def bare_post(request):
    # CSRF-checked like every POST of the site: the benchmark sends the cookie and the header.
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare/post/", bare_post, name="bench_bare_post"),
    path("", include("config.urls")),
]

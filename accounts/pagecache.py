"""Each reader's busy pages, kept rendered until something they show changes.

A page marked with ``@cached_for_reader`` is rendered once for a reader and then served as it was
rendered, until a write changes what it shows. What it shows belongs to three scopes: the reader
(``u``: their row, inbox, invitations, offers, referrals), their company (``c``: its requests,
chains, offers, jobs, members, policies) and everyone (``g``: names, company names, the referral
beta). PostgreSQL triggers record every committed write against the scopes it changes
(accounts.models.PageTouch), and a cached page is keyed by the newest touch id and the number of
touches of each of the reader's scopes, read in one statement before the page is rendered:

- any commit that changes a scope adds a touch, so the key changes and the next request renders
  again: a person sees their own change at once, and anyone else's on their next request;
- transactions may commit out of id order, which is why the count is in the key (a late commit
  with a smaller id still adds one to it);
- nothing is locked or updated in place: the triggers only insert;
- the key is read before rendering, so a page rendered while a write commits is stored under the
  key from before that write and never served after it.

The key also holds the session and what it holds (drafts, say), the CSRF cookie (the page's forms
carry a token made from it) and the full path. Pages are not served from the cache, nor stored,
for staff (they may see any company's pages), when messages are waiting to be shown, when the page
set a cookie or changed the session, or on any database but PostgreSQL (the triggers' home).
``PAGE_CACHE_SECONDS`` (default 30) bounds how long a page is kept: what a page writes relative to
the clock ("5 minutes ago") is at most that old. The cache is each worker's own memory
(``CACHES["pages"]``): the keys are checked against the database on every request, so the workers
never need to agree, and there is nothing more to run or to fail.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

CACHE_ALIAS = "pages"

# The reader's scopes' touches (newest id and count each), their company and whether they are staff,
# in one statement: index-only reads of pagetouch_scope_idx, the user's and membership's keys.
_STAMPS = """
SELECT u.is_staff OR u.is_superuser, m.company_id,
    (SELECT concat(max(t.id), '.', count(*)) FROM accounts_pagetouch t WHERE t.kind = 'u' AND t.owner = u.id),
    (SELECT concat(max(t.id), '.', count(*)) FROM accounts_pagetouch t
        WHERE t.kind = 'c' AND t.owner = m.company_id),
    (SELECT concat(max(t.id), '.', count(*)) FROM accounts_pagetouch t WHERE t.kind = 'g' AND t.owner = 0)
FROM accounts_user u LEFT JOIN accounts_membership m ON m.user_id = u.id
WHERE u.id = %s AND u.is_active
"""

# Request headers a page may answer differently to.
_VARY = ("HTTP_ACCEPT", "HTTP_HX_REQUEST", "HTTP_X_REQUESTED_WITH")


def cached_for_reader(view):
    """Mark a GET view whose page may be kept for its reader (PageCacheMiddleware serves it). Its
    page must show only what the reader's scopes cover (see the module's docstring)."""
    view.cached_for_reader = True
    return view


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0 and connection.vendor == "postgresql"


def _has_waiting_messages(request) -> bool:
    return bool(request.COOKIES.get("messages")) or "_messages" in request.session


def page_key(request) -> str | None:
    """The cache key of this request's page, or None when it must be rendered and not kept."""
    if request.method not in ("GET", "HEAD") or not enabled():
        return None
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    user_id = request.session.get(SESSION_KEY)
    if not csrf_cookie or user_id is None or _has_waiting_messages(request):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_STAMPS, [int(user_id)])
        row = cursor.fetchone()
    if row is None or row[0]:  # gone, deactivated, staff or superuser
        return None
    parts = [
        str(user_id), *(stamp or "" for stamp in row[2:]), str(row[1] or ""),
        request.session.session_key or "", repr(sorted(request.session.items())), csrf_cookie,
        request.get_full_path(),
        *(request.META.get(header, "") for header in _VARY),
    ]
    return "page:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.session.modified
        and "no-store" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serves the pages of views marked ``@cached_for_reader`` from the reader's cache when their
    key still holds, and keeps the pages it renders. Sits after the session, CSRF and
    authentication middleware and before anything that loads the user (LocalTimeMiddleware
    activates the reader's zone in ``process_view``, which a cached page skips)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is not None and _keepable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            caches[CACHE_ALIAS].set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "cached_for_reader", False):
            return None
        key = page_key(request)
        if key is None:
            return None
        kept = caches[CACHE_ALIAS].get(key)
        if kept is None:
            request._page_cache_key = key
            return None
        content, headers = kept
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        return response


# One row per scope: a new touch for each scope with more than one, and every older row of those
# scopes deleted, in one statement. The new row's id is past every id this snapshot sees, so the
# keys after it differ from every key before it; a transaction that commits later (even with a
# smaller id) is invisible here, so its row stays and still adds to its scope's count.
_COMPACT = """
WITH crowded AS (
    SELECT kind, owner FROM accounts_pagetouch GROUP BY kind, owner HAVING count(*) > 1
), fresh AS (
    INSERT INTO accounts_pagetouch (kind, owner) SELECT kind, owner FROM crowded RETURNING id, kind, owner
)
DELETE FROM accounts_pagetouch t USING fresh
WHERE t.kind = fresh.kind AND t.owner = fresh.owner AND t.id < fresh.id
"""


def compact_page_touches() -> int:
    """Keep one touch per scope (beat, every minute), so reading a key counts a few rows.
    Returns how many rows were deleted. The cached pages of the compacted scopes render again."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_COMPACT)
        return cursor.rowcount

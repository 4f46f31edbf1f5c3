from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_path(url: str | None) -> str:
    """``url`` if it is a path on this site ("/offers/new/?draft=1"), else "".

    Only a single leading "/" is followed: a bare word ("offers") would be reversed as a URL
    name by ``redirect()`` and crash, and "//host", "/\\host", schemes and leading spaces can
    leave the site. With no host in the path there is no other host to allow.
    """
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return ""
    return url

"""The text of a search box, fit for a database query."""


# Control characters (NUL to \x1f) read as spaces: PostgreSQL refuses NUL in a query (a 500), the
# approvals dashboard separates the fields it searches with \x1f, and no one searches for one.
_CONTROLS = {code: " " for code in range(0x20)}
_CONTROLS[0] = None


def clean_search(text: str, *, max_length: int = 200) -> str:
    """Trimmed and bounded, without control characters (see _CONTROLS)."""
    return text.translate(_CONTROLS).strip()[:max_length]


def search_term(request, *, max_length: int = 200) -> str:
    """The ``?q=`` search of a list page."""
    return clean_search(request.GET.get("q", ""), max_length=max_length)

"""The text of a search box, fit for a database query."""


def clean_search(text: str, *, max_length: int = 200) -> str:
    """Trimmed and bounded, without NUL characters: PostgreSQL refuses them in a query (a 500),
    and no one searches for one."""
    return text.replace("\x00", "").strip()[:max_length]


def search_term(request, *, max_length: int = 200) -> str:
    """The ``?q=`` search of a list page."""
    return clean_search(request.GET.get("q", ""), max_length=max_length)

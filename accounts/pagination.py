"""Pagination that does not count what the page already knows, or what nobody reads."""

from dataclasses import dataclass

from django.core.paginator import Paginator


def counted_paginator(object_list, per_page: int, *, count: int) -> Paginator:
    """A Paginator told how many rows there are: a list under tabs has just counted its tab
    (the tab counts' query), so the paginator's own COUNT would read the same rows again."""
    paginator = Paginator(object_list, per_page)
    paginator.count = count  # Paginator.count is a cached_property: this is its cached value
    return paginator


@dataclass
class WindowPage:
    """One page of a list that is not counted (the inbox): the rows and whether more follow."""

    object_list: list
    number: int
    more: bool  # a row was read past the page

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def window_page(queryset, per_page: int, number) -> WindowPage:
    """Page ``number`` of an ordered queryset, reading one row past it to know whether another
    page follows: no COUNT over the whole list. A page past the end is empty (with a link back)."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start:start + per_page + 1])
    return WindowPage(object_list=rows[:per_page], number=number, more=len(rows) > per_page)

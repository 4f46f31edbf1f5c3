"""Paths reversed once per process instead of once per link.

`reverse()` walks the URLconf's candidates, converts and quotes each argument: about 20 µs a call,
and a page of the top bar and a list of 20 rows makes some 30 of them. The URLconf does not
change while a process runs, so each named path is reversed once (with stand-in ids that are
then replaced by the real ones) and kept per script prefix. Overriding ROOT_URLCONF (tests)
empties the cache, as it empties Django's own.
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# Stand-ins for integer ids, long enough never to occur in a path of their own.
_STAND_INS = tuple(str(7_306_518_420_000 + n) for n in range(4))


@functools.cache
def _parts(viewname: str, script_prefix: str, arity: int) -> tuple[str, ...]:
    path = reverse(viewname, args=[int(s) for s in _STAND_INS[:arity]])
    parts = [path]
    for stand_in in _STAND_INS[:arity]:
        head, _, tail = parts.pop().partition(stand_in)
        parts += [head, tail]
    return tuple(parts)


def path_to(viewname: str, *ids: int) -> str:
    """`reverse(viewname, args=ids)` for integer ids (the site's `<int:…>` paths)."""
    parts = _parts(viewname, get_script_prefix(), len(ids))
    if not ids:
        return parts[0]
    out = [parts[0]]
    for value, part in zip(ids, parts[1:], strict=True):
        out += [str(int(value)), part]
    return "".join(out)


@receiver(setting_changed)
def _forget_paths(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _parts.cache_clear()

"""The dashboard's request list as CSV: the same rows as the tab and search on screen, with the
chain's decisions in columns (up to five steps, the most a policy has).

Rows are read with ``iterator(chunk_size=...)`` and their chains with two queries per chunk, then
written one at a time into a streamed response, so memory stays flat however many rows there are.
The chains are grouped by hand rather than with prefetch_related: a prefetched step points back to
its request, and those cycles wait for the garbage collector, so memory grew with the rows. Times are
in the reader's zone. Every cell that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) is prefixed with an apostrophe.
"""

from collections.abc import Iterator
from itertools import islice

from accounts.timezones import zone_of

from . import selectors
from .models import MAX_POLICY_STEPS, Decision, RequestStep, StepApprover, StepState

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "Request", "Title", "State", "Requested by", "Requested at", "Freelancer", "Offer type",
    "Contract", "Amount", "Currency", "Weekly hour limit", "Start date", "Decided at",
    "Decide by / valid until", "Decision comment",
] + [
    column for number in range(1, MAX_POLICY_STEPS + 1)
    for column in (f"Step {number}", f"Step {number} decisions")
]


def safe_cell(value) -> str:
    """The value as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _time(value, zone) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""


def _seat_text(seat, zone) -> str:
    """"Leo Lead: approved 2026-11-23 10:00"; "Cara CFO: waiting"."""
    if seat.decision in (Decision.APPROVED, Decision.DECLINED):
        return f"{seat.approver}: {seat.get_decision_display().lower()} {_time(seat.decided_at, zone)}"
    return f"{seat.approver}: {seat.get_decision_display().lower()}"


def _chains(request_ids: list[int]) -> dict[int, list[tuple[RequestStep, list[StepApprover]]]]:
    """The chain of each request: its steps in order, each with its approvers (two queries)."""
    seats: dict[int, list[StepApprover]] = {}
    approvers = StepApprover.objects.filter(request_id__in=request_ids).select_related("approver")
    for seat in approvers.order_by("id"):
        seats.setdefault(seat.step_id, []).append(seat)
    chains: dict[int, list] = {}
    for step in RequestStep.objects.filter(request_id__in=request_ids).order_by("request_id", "position"):
        chains.setdefault(step.request_id, []).append((step, seats.get(step.pk, [])))
    return chains


def _chain_cells(chain, zone) -> list[str]:
    cells = []
    for step, seats in chain[:MAX_POLICY_STEPS]:
        name = f"{step.name} (skipped)" if step.state == StepState.SKIPPED else step.name
        cells += [name, "; ".join(_seat_text(seat, zone) for seat in seats)]
    return cells + [""] * (2 * MAX_POLICY_STEPS - len(cells))


def _cells(approval_request, chain, zone) -> list:
    return [
        approval_request.pk,
        approval_request.title,
        approval_request.get_state_display(),
        approval_request.requester,
        _time(approval_request.created_at, zone),
        approval_request.freelancer_display,
        approval_request.get_offer_type_display(),
        approval_request.get_contract_type_display(),
        approval_request.amount,
        approval_request.currency,
        approval_request.weekly_hour_limit or "",
        approval_request.start_date.isoformat(),
        _time(approval_request.decided_at, zone),
        _time(approval_request.expires_at, zone),
        approval_request.decision_comment,
        *_chain_cells(chain, zone),
    ]


def request_rows(*, user, tab: str, search: str) -> Iterator[list[str]]:
    """The header, then one row per request the user sees in ``tab`` matching ``search``, in the
    dashboard's order."""
    zone = zone_of(user)
    yield HEADER
    requests = (
        selectors.approval_requests_for_dashboard(user=user, tab=tab, search=search)
        .prefetch_related(None)  # the chains come per chunk, below
        .iterator(chunk_size=CHUNK_SIZE)
    )
    while chunk := list(islice(requests, CHUNK_SIZE)):
        chains = _chains([approval_request.pk for approval_request in chunk])
        for approval_request in chunk:
            cells = _cells(approval_request, chains.get(approval_request.pk, []), zone)
            yield [safe_cell(cell) for cell in cells]


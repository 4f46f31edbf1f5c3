"""The data set of `make bench-http`: a marketplace with ``size`` approval requests, loaded in
minutes with set-based SQL (INSERT ... SELECT generate_series), written as the services would
leave it.

At size 1,000,000 (everything scales with the size; the people are the same at every size):

- 100 enterprise companies with approvals on. The busiest holds a tenth of the requests
  (100,000): 20 hiring managers (5,000 each: the busiest manager), and a two-step policy like
  Initech's in approvals/demo.py: "Team lead" (any one of one lead), then "Finance" (all of two
  finance approvers) when the amount is at least 5,000 USD fixed or 100 USD an hour. Its last
  20,000 requests were made under that policy (the lead is on all of them: the busiest approver);
  the 80,000 before it under the default policy, each to one of four approvers the requester
  chose (as a policy edit never changes a request already made). The other 99 companies keep the
  default policy: 5 managers and 3 approvers each.
- Requests in every state (pending, approved, declined, expired, consumed), each with its chain
  (RequestStep, StepApprover), its audit trail (ApprovalTransition) and its notifications as
  approvals.services and the expiry sweep leave them: a pending request has one active step;
  a declined one has its step declined and the others' approvers "not needed"; an expired
  undecided one keeps its active step (the sweep changes only the request).
- Every consumed request backs one live offer (sent or accepted) with its first revision.
- 100,000 freelancers (size / 10); 50,000 jobs (size / 20) with 4 direct invites each, half of
  the jobs with a referral (a declined invite and the referred freelancer's invite); the busiest
  freelancer has about 1,000 invites, 250 referrals made, 500 received, and the offers of one
  request in a thousand.
- Notifications: one per step activated, decision, step passed, expiry, offer sent, invite and
  referral, as the outbox writes them (emails already sent; older ones read).

``load(size)`` empties nothing: call it on a freshly migrated database. ``check()`` asserts the
app's invariants on what was loaded.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

SEED_TITLES = [
    "Senior Django developer", "Data engineer", "Mobile app security audit", "React front-end developer",
    "DevOps engineer", "Technical writer", "Product designer", "Machine learning engineer",
    "Payments integration", "QA automation engineer",
]
# (contract type, amount, weekly hour limit): the Finance step applies to 1, 3 and 4.
VARIANTS = [
    ("hourly", Decimal("85.00"), 30),
    ("hourly", Decimal("120.00"), 20),
    ("fixed", Decimal("3000.00"), None),
    ("fixed", Decimal("8000.00"), None),
    ("hourly", Decimal("150.00"), 40),
]
OTHER_COMPANIES = 99
OTHER_MANAGERS = 5
OTHER_APPROVERS = 3
BUSY_MANAGERS = 20
BUSY_OLD_APPROVERS = 4


@dataclass
class Plan:
    """How many of everything for ``size`` requests."""

    size: int
    busy: int = 0  # the busiest company's requests
    chain: int = 0  # of which made under the two-step policy (all on the lead's desk)
    freelancers: int = 0
    jobs: int = 0

    def __post_init__(self):
        self.busy = self.size // 10
        self.chain = self.size // 50
        self.freelancers = max(200, self.size // 10)
        self.jobs = max(40, self.size // 20)


@dataclass
class People:
    """Who the benchmark signs in as, and everyone it needs ids of."""

    busiest_company: int = 0
    lead: int = 0  # the busiest approver
    finance: list[int] = field(default_factory=list)
    busiest_manager: int = 0
    busiest_freelancer: int = 0
    other_company_ids: list[int] = field(default_factory=list)
    busy_managers: list[int] = field(default_factory=list)
    busy_old_approvers: list[int] = field(default_factory=list)
    other_managers: list[int] = field(default_factory=list)
    other_approvers: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)


def _table(model) -> str:
    return model._meta.db_table


def _execute(cursor, sql: str, params=None) -> None:
    cursor.execute(sql, params or {})


def load(size: int, *, out=print) -> People:
    """Write the whole data set for ``size`` requests; returns the people the pages are for."""
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    plan = Plan(size)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()

    def step(label, function, *args):
        t0 = time.perf_counter()
        result = function(*args)
        out(f"    {label}: {time.perf_counter() - t0:.1f} s")
        return result

    with transaction.atomic():
        people = step("companies, members, policy", _companies_and_members)
        with connection.cursor() as cursor:
            # The app's triggers (the dashboard's entries, the page touches, the foreign keys'
            # checks) are off while the rows go in, and the entries are built once at the end
            # from fresh statistics: fired per statement on millions of rows whose statistics
            # still say the tables are empty, the entries' trigger planned its per-request
            # lookups as scans of the whole seat table, and never finished at 1,000,000.
            # check() verifies the invariants (and the entries) afterwards.
            _execute(cursor, "SET LOCAL session_replication_role = replica")
            step("freelancers", _freelancers, cursor, plan, now)
            people.busiest_freelancer = _first_freelancer_id(cursor)
            step("approval requests", _requests, cursor, plan, people, now)
            step("chains (steps, approvers)", _chains, cursor, people)
            step("audit trail", _transitions, cursor, people)
            step("offers and revisions", _offers, cursor)
            step("jobs, invites, referrals", _jobs_invites_referrals, cursor, plan, people, now)
            step("notifications", _notifications, cursor, people, now)
            step("sequences", _reset_sequences, cursor)
            _execute(cursor, "DROP TABLE bench_spec")
            _execute(cursor, "SET LOCAL session_replication_role = origin")
            step("dashboard entries", _dashboard_entries, cursor)
            # The referral counts the page reads, by the function referrals 0005's backfill calls.
            step("referral counts", _execute, cursor, "SELECT referrals_tally_rebuild()")
    from django.db import connection as conn

    with conn.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        out(f"    VACUUM ANALYZE: {time.perf_counter() - t0:.1f} s")
    out(f"    loaded {size:,} requests in {time.perf_counter() - started:.1f} s")
    return people


def _dashboard_entries(cursor) -> None:
    """Every request's entries, set-based, by the function the triggers and migration 0007's
    backfill call (statistics first, so it is planned for the rows that are there)."""
    _execute(cursor, "ANALYZE approvals_approvalrequest, approvals_requeststep, approvals_stepapprover, "
                     "accounts_user")
    _execute(cursor, "SELECT approvals_dashboard_refresh(ARRAY(SELECT id FROM approvals_approvalrequest))")


def _companies_and_members() -> People:
    """The companies, their members and the busiest company's two-step policy, with the ORM
    (a few hundred rows)."""
    from accounts.models import Company, Membership, User
    from approvals.models import ApprovalPolicy, PolicyStep, StepRule

    people = People()
    companies = Company.objects.bulk_create([
        Company(name=f"Bench Company {i:03d}" if i else "Bench Initech", is_enterprise=True,
                approvals_enabled=True)
        for i in range(OTHER_COMPANIES + 1)
    ])
    busiest, others = companies[0], companies[1:]
    people.busiest_company = busiest.pk
    people.other_company_ids = [c.pk for c in others]

    def users(prefix, count, label):
        return User.objects.bulk_create([
            # "!" is an unusable password: the benchmark signs in with sessions made server-side.
            User(email=f"{prefix}-{i}@bench.test", full_name=f"{label} {i}", password="!")
            for i in range(count)
        ])

    managers = users("initech-manager", BUSY_MANAGERS, "Initech Manager")
    old_approvers = users("initech-approver", BUSY_OLD_APPROVERS, "Initech Approver")
    lead = users("initech-lead", 1, "Lena Lead")[0]
    cfo, controller = users("initech-finance", 2, "Finn Finance")
    memberships = [Membership(user=u, company=busiest, is_hiring_manager=True) for u in managers]
    memberships += [Membership(user=u, company=busiest, is_approver=True)
                    for u in [*old_approvers, lead, cfo, controller]]
    other_managers = users("manager", OTHER_COMPANIES * OTHER_MANAGERS, "Manager")
    other_approvers = users("approver", OTHER_COMPANIES * OTHER_APPROVERS, "Approver")
    for i, company in enumerate(others):
        memberships += [Membership(user=u, company=company, is_hiring_manager=True)
                        for u in other_managers[i * OTHER_MANAGERS:(i + 1) * OTHER_MANAGERS]]
        memberships += [Membership(user=u, company=company, is_approver=True)
                        for u in other_approvers[i * OTHER_APPROVERS:(i + 1) * OTHER_APPROVERS]]
    Membership.objects.bulk_create(memberships)

    policy = ApprovalPolicy.objects.create(company=busiest)
    lead_step = PolicyStep.objects.create(policy=policy, position=1, name="Team lead", rule=StepRule.ANY)
    lead_step.approvers.set([lead])
    finance = PolicyStep.objects.create(
        policy=policy, position=2, name="Finance", rule=StepRule.ALL, condition_currency="USD",
        min_fixed_price=Decimal("5000.00"), min_hourly_rate=Decimal("100.00"),
    )
    finance.approvers.set([cfo, controller])

    people.lead, people.finance = lead.pk, [cfo.pk, controller.pk]
    people.busiest_manager = managers[0].pk
    people.busy_managers = [u.pk for u in managers]
    people.busy_old_approvers = [u.pk for u in old_approvers]
    people.other_managers = [u.pk for u in other_managers]
    people.other_approvers = [u.pk for u in other_approvers]
    people.names = {u.pk: str(u) for u in [*old_approvers, lead, cfo, controller, *other_approvers]}
    return people


def _freelancers(cursor, plan: Plan, now) -> None:
    from accounts.models import FreelancerProfile, User

    _execute(cursor, f"""
        INSERT INTO {_table(User)} (password, is_superuser, email, full_name, is_active, is_staff,
            date_joined, time_zone, time_zone_chosen)
        SELECT '!', false, 'freelancer-' || i || '@bench.test',
            (ARRAY['Ada','Grace','Linus','Margaret','Alan','Barbara','Ken','Frances'])[1 + i %% 8]
                || ' Freelancer ' || i,
            true, false, %(now)s, 'UTC', false
        FROM generate_series(0, %(count)s - 1) AS i ORDER BY i
    """, {"count": plan.freelancers, "now": now})
    _execute(cursor, f"""
        INSERT INTO {_table(FreelancerProfile)} (user_id, title, skills, bio, hourly_rate,
            hourly_rate_currency, connects_balance, created_at)
        SELECT id, 'Python developer', 'Python, Django, PostgreSQL', '', 80 + id %% 40, 'USD', 60, %(now)s
        FROM {_table(User)} WHERE email LIKE 'freelancer-%%@bench.test'
    """, {"now": now})


def _first_freelancer_id(cursor) -> int:
    from accounts.models import User

    cursor.execute(f"SELECT min(id) FROM {_table(User)} WHERE email LIKE 'freelancer-%%@bench.test'")
    return cursor.fetchone()[0]


# Request ids are the generate_series number g (a fresh database), so steps, approvers and
# transitions can be derived from g alone. bench_spec holds what each request is.


def _requests(cursor, plan: Plan, people: People, now) -> None:
    from approvals.models import ApprovalRequest

    # Three deterministic, unrelated draws per request (hashint4 is PostgreSQL's integer hash).
    _execute(cursor, """
        CREATE TEMP TABLE bench_spec AS
        SELECT g,
            CASE WHEN g <= %(chain)s THEN 'chain' WHEN g <= %(busy)s THEN 'old' ELSE 'other' END AS segment,
            (hashint4(g) & 2147483647) %% 100 AS pct,
            (hashint4(g + 1000003) & 2147483647) %% 1000 AS draw,
            (hashint4(g + 2000003) & 2147483647) %% 5 AS variant,
            ((hashint4(g + 3000017) & 2147483647) %% 864000) AS minutes
        FROM generate_series(1, %(size)s) AS g
    """, {"chain": plan.chain, "busy": plan.busy, "size": plan.size})
    # The state: recent chain requests are often pending; the busiest company's requests made
    # before its policy are all decided or over; the other companies', a mix.
    _execute(cursor, """
        ALTER TABLE bench_spec ADD COLUMN state text, ADD COLUMN kind text, ADD COLUMN company_id bigint,
            ADD COLUMN requester_id bigint, ADD COLUMN chosen_id bigint, ADD COLUMN freelancer_id bigint,
            ADD COLUMN applies boolean, ADD COLUMN created_at timestamptz, ADD COLUMN decided_at timestamptz;
        UPDATE bench_spec SET state = CASE segment
            WHEN 'chain' THEN CASE WHEN pct < 40 THEN 'pending' WHEN pct < 55 THEN 'approved'
                WHEN pct < 65 THEN 'declined' WHEN pct < 75 THEN 'expired' ELSE 'consumed' END
            WHEN 'old' THEN CASE WHEN pct < 20 THEN 'declined' WHEN pct < 50 THEN 'expired' ELSE
                'consumed' END
            ELSE CASE WHEN pct < 15 THEN 'pending' WHEN pct < 30 THEN 'approved'
                WHEN pct < 40 THEN 'declined' WHEN pct < 60 THEN 'expired' ELSE 'consumed' END
        END;
        -- kind: how far the chain went. expired: undecided or after approval; pending chain: at
        -- the lead, or at Finance (one of the two may have approved already).
        UPDATE bench_spec SET applies = segment = 'chain' AND variant IN (1, 3, 4);
        UPDATE bench_spec SET kind = CASE
            WHEN state = 'expired' THEN CASE WHEN draw %% 2 = 0 THEN 'undecided' ELSE 'after_approval' END
            WHEN state = 'pending' AND applies AND draw %% 2 = 1 THEN
                CASE WHEN draw %% 4 = 3 THEN 'finance_one' ELSE 'finance' END
            WHEN state = 'pending' THEN 'first'
            ELSE state END;
    """)
    _execute(cursor, """
        UPDATE bench_spec SET
            company_id = CASE WHEN segment = 'other'
                THEN (%(others)s::bigint[])[1 + g %% 99] ELSE %(busiest)s END,
            requester_id = CASE WHEN segment = 'other'
                THEN (%(other_managers)s::bigint[])[1 + (g %% 99) * 5 + (g / 99) %% 5]
                ELSE (%(busy_managers)s::bigint[])[1 + g %% 20] END,
            chosen_id = CASE segment WHEN 'chain' THEN NULL
                WHEN 'old' THEN (%(busy_old)s::bigint[])[1 + (g / 20) %% 4]
                ELSE (%(other_approvers)s::bigint[])[1 + (g %% 99) * 3 + (g / 495) %% 3] END,
            freelancer_id = %(f0)s + CASE WHEN g %% 1000 = 0 THEN 0 ELSE 1 + g %% (%(freelancers)s - 1) END
    """, {
        "others": people.other_company_ids, "busiest": people.busiest_company,
        "other_managers": people.other_managers, "busy_managers": people.busy_managers,
        "busy_old": people.busy_old_approvers, "other_approvers": people.other_approvers,
        "f0": people.busiest_freelancer, "freelancers": plan.freelancers,
    })
    # Times: a pending request is under 13 days old (its 14-day window still open for a day of
    # benchmarking); an approval under 20 days (its 30-day validity open); the rest up to 600 days.
    _execute(cursor, """
        UPDATE bench_spec SET created_at = %(now)s - CASE state
            WHEN 'pending' THEN interval '6 hours' + make_interval(mins => minutes %% (13 * 1440 - 360))
            WHEN 'approved' THEN interval '2 days' + make_interval(mins => minutes %% (18 * 1440))
            WHEN 'declined' THEN interval '1 day' + make_interval(mins => minutes)
            WHEN 'expired' THEN interval '45 days' + make_interval(mins => minutes)
            ELSE interval '3 days' + make_interval(mins => minutes) END;
        UPDATE bench_spec SET decided_at = CASE
            WHEN kind IN ('approved', 'consumed', 'after_approval') THEN created_at + interval '1 day'
            WHEN kind = 'declined' THEN created_at + interval '6 hours' END;
        CREATE INDEX ON bench_spec (g);
        ANALYZE bench_spec;
    """, {"now": now})

    names = people.names
    chain_names_all = ", ".join(names[pk] for pk in [people.lead, *people.finance])
    titles = SEED_TITLES
    _execute(cursor, f"""
        INSERT INTO {_table(ApprovalRequest)} (id, company_id, requester_id, approver_id, job_id, title,
            freelancer_id, freelancer_name, freelancer_email, offer_type, contract_type, amount, currency,
            weekly_hour_limit, start_date, justification, state, expires_at, decision_comment,
            decided_by_names, decided_at, consumed_at, expired_at, reminded_at, resubmission_of_id,
            created_at, updated_at)
        SELECT s.g, s.company_id, s.requester_id, s.chosen_id, NULL,
            (%(titles)s::text[])[1 + s.draw %% {len(titles)}] || ' #' || s.g,
            s.freelancer_id, '', '', 'direct', v.contract_type, v.amount, 'USD', v.hours,
            (s.created_at + interval '14 days')::date,
            'Backfill for the billing team.',
            CASE s.state WHEN 'expired' THEN 'expired' ELSE s.state END,
            CASE WHEN s.decided_at IS NULL OR s.kind = 'declined' THEN s.created_at + interval '14 days'
                ELSE s.decided_at + interval '30 days' END,
            CASE WHEN s.kind IN ('approved', 'consumed', 'after_approval') THEN 'Budget confirmed.'
                WHEN s.kind = 'declined' THEN 'Over budget for this quarter.' ELSE '' END,
            CASE WHEN s.decided_at IS NULL THEN ''
                WHEN s.segment = 'chain' AND s.kind <> 'declined' AND s.applies THEN %(chain_all)s
                WHEN s.segment = 'chain' THEN %(lead_name)s
                ELSE approver.full_name END,
            s.decided_at,
            CASE WHEN s.state = 'consumed' THEN s.decided_at + interval '1 day' END,
            CASE WHEN s.state = 'expired' THEN
                CASE WHEN s.decided_at IS NULL THEN s.created_at + interval '14 days'
                    ELSE s.decided_at + interval '30 days' END + interval '5 minutes' END,
            NULL, NULL, s.created_at,
            COALESCE(CASE WHEN s.state = 'expired' THEN
                CASE WHEN s.decided_at IS NULL THEN s.created_at + interval '14 days'
                    ELSE s.decided_at + interval '30 days' END + interval '5 minutes' END,
                s.decided_at + CASE WHEN s.state = 'consumed' THEN interval '1 day' ELSE interval '0' END,
                s.created_at)
        FROM bench_spec AS s
        JOIN (VALUES {", ".join(f"({i}, '{c}', {a}, {h if h else 'NULL'}::smallint)"
                                for i, (c, a, h) in enumerate(VARIANTS))})
            AS v (variant, contract_type, amount, hours) ON v.variant = s.variant
        LEFT JOIN accounts_user AS approver ON approver.id = s.chosen_id
        ORDER BY s.g
    """, {"titles": titles, "chain_all": chain_names_all, "lead_name": names[people.lead]})


def _chains(cursor, people: People) -> None:
    """Steps and their approvers, as approval_request_create records them and the decisions
    and the sweep leave them. Step ids: 2g - 1 (first step) and 2g (Finance); approver ids:
    3g - 2 (the one of the first step), 3g - 1 and 3g (Finance)."""
    from approvals import policies
    from approvals.models import RequestStep, StepApprover

    spec = policies.policy_for(people.busiest_company)
    finance = spec.steps[1]
    condition = policies.condition_text(finance)
    outcomes = {
        i: policies.condition_applies(finance, contract_type=c, amount=a, currency="USD")
        for i, (c, a, _) in enumerate(VARIANTS)
    }
    outcome_sql = "CASE s.variant " + " ".join(
        f"WHEN {i} THEN %(outcome_{i})s" for i in outcomes
    ) + " END"
    params = {f"outcome_{i}": text for i, (_, text) in outcomes.items()}
    params.update({"condition": condition, "lead": people.lead,
                   "cfo": people.finance[0], "controller": people.finance[1]})
    steps, seats = _table(RequestStep), _table(StepApprover)
    # The first step: "Approver" chosen by the requester, or "Team lead".
    _execute(cursor, f"""
        INSERT INTO {steps} (id, request_id, position, name, rule, required_count, chosen_by_requester,
            condition, condition_outcome, state, activated_at, completed_at)
        SELECT 2 * s.g - 1, s.g, 1,
            CASE WHEN s.segment = 'chain' THEN 'Team lead' ELSE 'Approver' END,
            'any', 1, s.segment <> 'chain', '', '',
            CASE WHEN s.kind IN ('first', 'undecided') THEN 'active'
                WHEN s.kind = 'declined' THEN 'declined' ELSE 'passed' END,
            s.created_at,
            CASE WHEN s.kind IN ('first', 'undecided') THEN NULL
                WHEN s.kind = 'declined' THEN s.decided_at
                WHEN s.applies THEN s.created_at + interval '3 hours'
                ELSE s.decided_at END
        FROM bench_spec AS s ORDER BY s.g
    """, params)
    # Finance: skipped when its condition does not apply; otherwise waiting until the lead
    # approves, then active, then passed with the request's approval.
    _execute(cursor, f"""
        INSERT INTO {steps} (id, request_id, position, name, rule, required_count, chosen_by_requester,
            condition, condition_outcome, state, activated_at, completed_at)
        SELECT 2 * s.g, s.g, 2, 'Finance', 'all', 2, false, %(condition)s, {outcome_sql},
            CASE WHEN NOT s.applies THEN 'skipped'
                WHEN s.kind IN ('first', 'undecided', 'declined') THEN 'waiting'
                WHEN s.kind IN ('finance', 'finance_one') THEN 'active' ELSE 'passed' END,
            CASE WHEN s.applies AND s.kind NOT IN ('first', 'undecided', 'declined')
                THEN s.created_at + interval '3 hours' END,
            CASE WHEN s.applies AND s.kind IN ('approved', 'consumed', 'after_approval') THEN s.decided_at END
        FROM bench_spec AS s WHERE s.segment = 'chain' ORDER BY s.g
    """, params)
    _execute(cursor, f"""
        INSERT INTO {seats} (id, step_id, request_id, approver_id, decision, decided_at, comment)
        SELECT 3 * s.g - 2, 2 * s.g - 1, s.g, COALESCE(s.chosen_id, %(lead)s),
            CASE WHEN s.kind IN ('first', 'undecided') THEN 'pending'
                WHEN s.kind = 'declined' THEN 'declined' ELSE 'approved' END,
            CASE WHEN s.kind IN ('first', 'undecided') THEN NULL
                WHEN s.kind = 'declined' THEN s.decided_at
                WHEN s.applies THEN s.created_at + interval '3 hours' ELSE s.decided_at END,
            CASE WHEN s.kind = 'declined' THEN 'Over budget for this quarter.'
                WHEN s.kind IN ('first', 'undecided') THEN '' ELSE 'Budget confirmed.' END
        FROM bench_spec AS s ORDER BY s.g
    """, params)
    # The two finance approvers: not needed when the step is skipped or the lead declined.
    for offset, person in ((1, "cfo"), (0, "controller")):
        first = person == "cfo"
        _execute(cursor, f"""
            INSERT INTO {seats} (id, step_id, request_id, approver_id, decision, decided_at, comment)
            SELECT 3 * s.g - {offset}, 2 * s.g, s.g, %({person})s,
                CASE WHEN NOT s.applies OR s.kind = 'declined' THEN 'not_needed'
                    WHEN s.kind IN ('approved', 'consumed', 'after_approval') THEN 'approved'
                    {"WHEN s.kind = 'finance_one' THEN 'approved'" if first else ""}
                    ELSE 'pending' END,
                CASE WHEN NOT s.applies THEN NULL
                    WHEN s.kind IN ('approved', 'consumed', 'after_approval')
                    THEN s.decided_at - interval '{"1 hour" if first else "0 hours"}'
                    {"WHEN s.kind = 'finance_one' THEN s.created_at + interval '5 hours'" if first else ""}
                    END,
                CASE WHEN s.applies AND (s.kind IN ('approved', 'consumed', 'after_approval')
                    {"OR s.kind = 'finance_one'" if first else ""}) THEN 'Budget confirmed.' ELSE '' END
            FROM bench_spec AS s WHERE s.segment = 'chain' ORDER BY s.g
        """, params)


def _transitions(cursor, people: People) -> None:
    """The audit trail: create, each step decision, the final decision, expiry and consumption."""
    from approvals.bulk import EXPIRY_COMMENTS
    from approvals.models import ApprovalTransition

    table = _table(ApprovalTransition)
    columns = "(request_id, actor_id, name, step_name, source_state, target_state, comment, created_at)"
    statements = [
        # Every request was created.
        """SELECT g, requester_id, 'create', '', '', 'pending', '', created_at FROM bench_spec""",
        # The lead's approval that moved a chain on to Finance (the request stays pending).
        """SELECT g, %(lead)s, 'approve', 'Team lead', 'pending', 'pending', 'Budget confirmed.',
                created_at + interval '3 hours'
            FROM bench_spec WHERE segment = 'chain' AND applies
                AND kind IN ('finance', 'finance_one', 'approved', 'consumed', 'after_approval')""",
        """SELECT g, %(cfo)s, 'approve', 'Finance', 'pending', 'pending', 'Budget confirmed.',
                CASE WHEN kind = 'finance_one' THEN created_at + interval '5 hours'
                    ELSE decided_at - interval '1 hour' END
            FROM bench_spec WHERE segment = 'chain' AND applies AND kind IN ('finance_one', 'approved',
                'consumed', 'after_approval')""",
        # The decision that approved or declined the request.
        """SELECT g, CASE WHEN segment <> 'chain' THEN chosen_id
                    WHEN applies AND kind <> 'declined' THEN %(controller)s ELSE %(lead)s END,
                CASE WHEN kind = 'declined' THEN 'decline' ELSE 'approve' END,
                CASE WHEN segment <> 'chain' THEN 'Approver'
                    WHEN applies AND kind <> 'declined' THEN 'Finance' ELSE 'Team lead' END,
                'pending', CASE WHEN kind = 'declined' THEN 'declined' ELSE 'approved' END,
                CASE WHEN kind = 'declined' THEN 'Over budget for this quarter.' ELSE 'Budget confirmed.' END,
                decided_at
            FROM bench_spec WHERE kind IN ('approved', 'consumed', 'after_approval', 'declined')""",
        """SELECT g, requester_id, 'consume', '', 'approved', 'consumed', 'Used for an offer.',
                decided_at + interval '1 day'
            FROM bench_spec WHERE state = 'consumed'""",
        """SELECT g, NULL, 'expire', '', CASE WHEN kind = 'undecided' THEN 'pending' ELSE 'approved' END,
                'expired', CASE WHEN kind = 'undecided' THEN %(comment_pending)s ELSE
                    %(comment_approved)s END,
                CASE WHEN kind = 'undecided' THEN created_at + interval '14 days'
                    ELSE decided_at + interval '30 days' END + interval '5 minutes'
            FROM bench_spec WHERE state = 'expired'""",
    ]
    params = {"lead": people.lead, "cfo": people.finance[0], "controller": people.finance[1],
              "comment_pending": EXPIRY_COMMENTS["pending"], "comment_approved": EXPIRY_COMMENTS["approved"]}
    # One INSERT, ordered by request and time, so ids follow each request's history.
    union = " UNION ALL ".join(f"({sql})" for sql in statements)
    _execute(cursor, f"""
        INSERT INTO {table} {columns}
        SELECT * FROM ({union}) AS t (request_id, actor_id, name, step_name, source_state, target_state,
            comment, created_at)
        ORDER BY created_at, request_id
    """, params)


def _offers(cursor) -> None:
    """One live offer per consumed request (sent, or accepted for a third), and its revision 1."""
    from offers.models import Offer, OfferRevision

    _execute(cursor, f"""
        INSERT INTO {_table(Offer)} (title, contract_type, amount, currency, weekly_hour_limit, start_date,
            message, company_id, created_by_id, offer_type, job_id, freelancer_id, freelancer_name,
            freelancer_email, approval_request_id, state, revision, decline_reason, sent_at, responded_at,
            withdrawn_at, updated_at)
        SELECT r.title, r.contract_type, r.amount, r.currency, r.weekly_hour_limit, r.start_date,
            'Welcome aboard.', r.company_id, r.requester_id, r.offer_type, NULL, r.freelancer_id, '', '',
            r.id, CASE WHEN r.id %% 3 = 0 THEN 'accepted' ELSE 'sent' END, 1, '', r.consumed_at,
            CASE WHEN r.id %% 3 = 0 THEN r.consumed_at + interval '1 day' END, NULL, r.consumed_at
        FROM approvals_approvalrequest AS r WHERE r.state = 'consumed' ORDER BY r.consumed_at, r.id
    """)
    _execute(cursor, f"""
        INSERT INTO {_table(OfferRevision)} (title, contract_type, amount, currency, weekly_hour_limit,
            start_date, message, offer_id, number, created_by_id, created_at)
        SELECT title, contract_type, amount, currency, weekly_hour_limit, start_date, message, id, 1,
            created_by_id, sent_at
        FROM {_table(Offer)} ORDER BY id
    """)


def _jobs_invites_referrals(cursor, plan: Plan, people: People, now) -> None:
    """Jobs (a tenth at the busiest company), 4 direct invites each; on even jobs the second
    invitee declined and referred a fifth freelancer, who got an invite from the referral.
    Invite ids are 5j + k + 1 (slot k of job j); the busiest freelancer is invited on slot 0 of
    every hundredth job, referred on slot 4 of every hundredth + 50, refers from slot 1 of every
    two-hundredth + 2."""
    from jobs.models import Invite, Job
    from referrals.models import BetaOverride, Referral

    _execute(cursor, f"""
        INSERT INTO {_table(Job)} (id, company_id, posted_by_id, title, description, skills, contract_type,
            budget_amount, budget_currency, connects_price, direct_invite_limit, status, created_at)
        SELECT j + 1,
            CASE WHEN j %% 10 = 0 THEN %(busiest)s ELSE (%(others)s::bigint[])[1 + j %% 99] END,
            CASE WHEN j %% 10 = 0 THEN (%(busy_managers)s::bigint[])[1 + (j / 10) %% 20]
                ELSE (%(other_managers)s::bigint[])[1 + (j %% 99) * 5 + (j / 99) %% 5] END,
            (%(titles)s::text[])[1 + j %% {len(SEED_TITLES)}] || ' (job ' || j || ')',
            'Build and maintain our Django services.', 'Python, Django', 'hourly', 75, 'USD', 6, 30,
            'open', %(now)s - make_interval(mins => j %% 200000)
        FROM generate_series(0, %(jobs)s - 1) AS j ORDER BY j
    """, {"busiest": people.busiest_company, "others": people.other_company_ids,
          "busy_managers": people.busy_managers, "other_managers": people.other_managers,
          "titles": SEED_TITLES, "now": now, "jobs": plan.jobs})
    freelancer = """%(f0)s + CASE
        WHEN k = 0 AND j %% 100 = 0 THEN 0
        WHEN k = 1 AND j %% 200 = 2 THEN 0
        WHEN k = 4 AND j %% 100 = 50 THEN 0
        ELSE 1 + (j * 5 + k) %% (%(freelancers)s - 1) END"""
    params = {"f0": people.busiest_freelancer, "freelancers": plan.freelancers, "now": now}
    _execute(cursor, f"""
        INSERT INTO {_table(Invite)} (id, job_id, freelancer_id, invited_by_id, source, message, state,
            decline_reason, responded_at, hired_at, created_at)
        SELECT 5 * j + k + 1, j + 1, {freelancer}, job.posted_by_id,
            CASE WHEN k = 4 THEN 'referral' ELSE 'direct' END,
            'We would love to have you.',
            CASE WHEN k = 1 AND j %% 2 = 0 THEN 'declined'
                WHEN (j + k) %% 3 = 0 AND k <> 4 THEN 'declined' ELSE 'pending' END,
            CASE WHEN (k = 1 AND j %% 2 = 0) OR ((j + k) %% 3 = 0 AND k <> 4)
                THEN 'Fully booked this month.' ELSE '' END,
            CASE WHEN (k = 1 AND j %% 2 = 0) OR ((j + k) %% 3 = 0 AND k <> 4)
                THEN job.created_at + interval '1 day' END,
            NULL,
            job.created_at + CASE WHEN k = 4 THEN interval '1 day' ELSE interval '0' END
        FROM generate_series(0, %(jobs)s - 1) AS j
        CROSS JOIN generate_series(0, 4) AS k
        JOIN {_table(Job)} AS job ON job.id = j + 1
        WHERE k < 4 OR j %% 2 = 0
        ORDER BY 1
    """, {**params, "jobs": plan.jobs})
    _execute(cursor, f"""
        INSERT INTO {_table(Referral)} (job_id, referrer_id, referred_id, original_invite_id, new_invite_id,
            note, created_at)
        SELECT original.job_id, original.freelancer_id, referred.freelancer_id, original.id, referred.id,
            'Great with Django.', referred.created_at
        FROM {_table(Invite)} AS referred
        JOIN {_table(Invite)} AS original ON original.id = referred.id - 3
        WHERE referred.source = 'referral' ORDER BY referred.id
    """)
    BetaOverride.objects.create(user_id=people.busiest_freelancer, mode=BetaOverride.Mode.ALWAYS,
                                note="The benchmark's busiest freelancer.")


def _notifications(cursor, people: People, now) -> None:
    """The outbox as the events left it: emails sent, entries older than three days read."""
    from accounts.models import Notification, User
    from jobs.models import Invite
    from offers.models import Offer
    from referrals.models import Referral

    table = _table(Notification)
    sources = [
        # A step became active: its undecided approvers were asked (approval-new).
        ("""SELECT 'approval-new:' || a.request_id || ':' || a.step_id || ':' || a.approver_id,
                'approval-new', a.approver_id, 'New approval request: ' || r.title,
                '/approvals/' || r.id || '/', 'approvals/emails/new-request', st.activated_at
            FROM approvals_stepapprover AS a
            JOIN approvals_requeststep AS st ON st.id = a.step_id
            JOIN approvals_approvalrequest AS r ON r.id = a.request_id
            WHERE st.activated_at IS NOT NULL"""),
        ("""SELECT 'approval-step-passed:' || s.g || ':' || (2 * s.g - 1), 'approval-step-passed',
                s.requester_id, 'Team lead approved your request #' || s.g, '/approvals/' || s.g || '/', '',
                s.created_at + interval '3 hours'
            FROM bench_spec AS s WHERE s.segment = 'chain' AND s.applies
                AND s.kind NOT IN ('first', 'undecided', 'declined')"""),
        ("""SELECT 'approval-decision:' || s.g, 'approval-decision', s.requester_id,
                CASE WHEN s.kind = 'declined' THEN 'Declined: request #' ELSE 'Approved: request #'
                    END || s.g,
                '/approvals/' || s.g || '/', 'approvals/emails/decision', s.decided_at
            FROM bench_spec AS s WHERE s.kind IN ('approved', 'consumed', 'after_approval', 'declined')"""),
        ("""SELECT 'approval-expired:' || r.id, 'approval-expired', r.requester_id,
                'Your request “' || r.title || '” expired', '/approvals/' || r.id || '/',
                'approvals/emails/expired', r.expired_at
            FROM approvals_approvalrequest AS r WHERE r.state = 'expired'"""),
        (f"""SELECT 'offer-sent:' || o.id || ':1', 'offer-sent', o.freelancer_id,
                'Bench company sent you an offer: ' || o.title, '/offers/' || o.id || '/',
                'offers/emails/offer-sent', o.sent_at
            FROM {_table(Offer)} AS o"""),
        (f"""SELECT 'invite-received:' || i.id, 'invite-received', i.freelancer_id,
                'You were invited to a job', '/proposals/invitations/' || i.id || '/',
                'jobs/emails/invite-received', i.created_at
            FROM {_table(Invite)} AS i WHERE i.source = 'direct'"""),
        (f"""SELECT 'referral-invite:' || f.id, 'referral-invite', f.referred_id,
                'A freelancer referred you to a job', '/proposals/invitations/' || f.new_invite_id || '/',
                'referrals/emails/referral-invite', f.created_at
            FROM {_table(Referral)} AS f"""),
    ]
    union = " UNION ALL ".join(f"({sql})" for sql in sources)
    _execute(cursor, f"""
        INSERT INTO {table} (key, kind, recipient_id, email, title, link, template, context, created_at,
            read_at, email_state, email_attempts, email_next_attempt_at, email_last_error, email_sent_at,
            email_message_id)
        SELECT n.key, n.kind, n.recipient_id, u.email, left(n.title, 300), n.link, n.template, '{{}}'::jsonb,
            n.created_at, CASE WHEN n.created_at < %(now)s - interval '3 days'
                THEN n.created_at + interval '1 hour' END,
            CASE WHEN n.template = '' THEN 'skipped' ELSE 'sent' END, CASE WHEN n.template = ''
                THEN 0 ELSE 1 END,
            n.created_at, '', CASE WHEN n.template = '' THEN NULL ELSE n.created_at + interval '1
                minute' END, ''
        FROM ({union}) AS n (key, kind, recipient_id, title, link, template, created_at)
        JOIN {_table(User)} AS u ON u.id = n.recipient_id
        ORDER BY n.created_at, n.key
    """, {"now": now})


def _reset_sequences(cursor) -> None:
    """Rows were written with explicit ids: move each identity past them."""
    from django.apps import apps

    for model in apps.get_models():
        table = _table(model)
        pk = model._meta.pk
        if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
        sequence = cursor.fetchone()[0]
        if sequence:
            cursor.execute(
                f'SELECT setval(%s, COALESCE((SELECT max("{pk.column}") FROM "{table}"), 0) + 1, false)',
                [sequence],
            )


# ---------------------------------------------------------------------------------------------
# The app's invariants on the loaded rows.


def check(size: int, people: People | None = None) -> list[str]:
    """Assert what the services guarantee, on every row; returns the lines of what was checked.
    Raises AssertionError naming the first invariant that does not hold."""
    from django.db import connection

    plan = Plan(size)
    checks = [
        ("requests", "SELECT count(*) FROM approvals_approvalrequest", size),
        ("requests without a chain",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE NOT EXISTS "
         "(SELECT 1 FROM approvals_requeststep s WHERE s.request_id = r.id)", 0),
        ("pending requests without exactly one active step",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE r.state = 'pending' AND "
         "(SELECT count(*) FROM approvals_requeststep s WHERE s.request_id = r.id AND s.state = "
         "'active') <> 1",
         0),
        ("pending requests whose active step has no undecided approver",
         "SELECT count(*) FROM approvals_approvalrequest r JOIN approvals_requeststep s "
         "ON s.request_id = r.id AND s.state = 'active' WHERE r.state = 'pending' AND NOT EXISTS "
         "(SELECT 1 FROM approvals_stepapprover a WHERE a.step_id = s.id AND a.decision = 'pending')", 0),
        ("pending requests past their window", "SELECT count(*) FROM approvals_approvalrequest "
         "WHERE state = 'pending' AND expires_at <= now()", 0),
        ("approved or consumed requests with a step not passed or skipped",
         "SELECT count(*) FROM approvals_approvalrequest r JOIN approvals_requeststep s ON "
         "s.request_id = r.id "
         "WHERE r.state IN ('approved', 'consumed') AND s.state NOT IN ('passed', 'skipped')", 0),
        ("declined requests without one declined step",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE r.state = 'declined' AND "
         "(SELECT count(*) FROM approvals_requeststep s WHERE s.request_id = r.id AND s.state = "
         "'declined') <> 1",
         0),
        ("steps that passed with fewer approvals than their rule",
         "SELECT count(*) FROM approvals_requeststep s WHERE s.state = 'passed' AND s.required_count > "
         "(SELECT count(*) FROM approvals_stepapprover a WHERE a.step_id = s.id AND a.decision = 'approved')",
         0),
        ("requests whose last audit entry is not their state",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE r.state <> (SELECT t.target_state "
         "FROM approvals_approvaltransition t WHERE t.request_id = r.id ORDER BY t.created_at "
         "DESC, t.id DESC "
         "LIMIT 1)", 0),
        ("requests without their create entry",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE NOT EXISTS (SELECT 1 FROM "
         "approvals_approvaltransition t WHERE t.request_id = r.id AND t.name = 'create')", 0),
        ("consumed requests without exactly one live offer",
         "SELECT count(*) FROM approvals_approvalrequest r WHERE r.state = 'consumed' AND (SELECT count(*) "
         "FROM offers_offer o WHERE o.approval_request_id = r.id AND o.state IN ('sent', "
         "'accepted')) <> 1", 0),
        ("requests a requester approves", "SELECT count(*) FROM approvals_stepapprover a JOIN "
         "approvals_approvalrequest r ON r.id = a.request_id WHERE a.approver_id = r.requester_id", 0),
        ("approvers outside the request's company", "SELECT count(*) FROM approvals_stepapprover a JOIN "
         "approvals_approvalrequest r ON r.id = a.request_id JOIN accounts_membership m ON m.user_id = "
         "a.approver_id WHERE m.company_id <> r.company_id OR NOT m.is_approver", 0),
        ("the busiest company's requests", "SELECT count(*) FROM approvals_approvalrequest "
         "WHERE company_id = (SELECT id FROM accounts_company WHERE name = 'Bench Initech')", plan.busy),
        ("the busiest approver's (the lead's) requests", "SELECT count(DISTINCT request_id) FROM "
         "approvals_stepapprover WHERE approver_id = (SELECT id FROM accounts_user "
         "WHERE email = 'initech-lead-0@bench.test')", plan.chain),
        ("the busiest manager's requests", "SELECT count(*) FROM approvals_approvalrequest WHERE "
        "requester_id = "
         "(SELECT id FROM accounts_user WHERE email = 'initech-manager-0@bench.test')", plan.busy // 20),
        ("freelancers", "SELECT count(*) FROM accounts_freelancerprofile", plan.freelancers),
        ("requesters and approvers without their dashboard entry",
         "SELECT count(*) FROM (SELECT requester_id AS user_id, id AS request_id "
         "FROM approvals_approvalrequest UNION SELECT approver_id, request_id FROM approvals_stepapprover) "
         "people WHERE NOT EXISTS "
         "(SELECT 1 FROM approvals_dashboardentry e WHERE e.user_id = people.user_id "
         "AND e.request_id = people.request_id)", 0),
        ("dashboard entries whose state is not their request's", "SELECT count(*) FROM "
         "approvals_dashboardentry e JOIN approvals_approvalrequest r ON r.id = e.request_id "
         "WHERE e.state <> r.state OR e.search_text = ''", 0),
        ("people whose kept dashboard counts are not their entries'", "SELECT count(*) FROM "
         "(SELECT user_id, company_id, state, awaiting, sum(n) AS n FROM approvals_dashboardcount "
         "GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0) kept FULL JOIN (SELECT user_id, company_id, state, "
         "awaiting, count(*) AS n FROM approvals_dashboardentry GROUP BY 1, 2, 3, 4) counted "
         "USING (user_id, company_id, state, awaiting) WHERE kept.n IS DISTINCT FROM counted.n", 0),
        ("freelancers whose kept referral counts are not their referrals'", "SELECT count(*) FROM "
         "(SELECT referrer_id, referrals, referred, hired FROM referrals_referraltally "
         "WHERE (referrals, referred, hired) <> (0, 0, 0)) kept FULL JOIN (SELECT r.referrer_id, "
         "count(*) AS referrals, count(DISTINCT r.referred_id) AS referred, "
         "count(*) FILTER (WHERE i.hired_at IS NOT NULL) AS hired FROM referrals_referral r "
         "JOIN jobs_invite i ON i.id = r.new_invite_id GROUP BY r.referrer_id) counted USING (referrer_id) "
         "WHERE (kept.referrals, kept.referred, kept.hired) "
         "IS DISTINCT FROM (counted.referrals, counted.referred, counted.hired)", 0),
    ]
    lines = []
    with connection.cursor() as cursor:
        for label, sql, expected in checks:
            cursor.execute(sql)
            found = cursor.fetchone()[0]
            assert found == expected, f"{label}: {found:,}, expected {expected:,}"
            lines.append(f"{label}: {found:,}")
    return lines


def counts() -> dict[str, int]:
    """Rows per table, for the report."""
    from django.db import connection

    tables = [
        "approvals_approvalrequest", "approvals_requeststep", "approvals_stepapprover",
        "approvals_approvaltransition", "offers_offer", "jobs_job", "jobs_invite", "referrals_referral",
        "accounts_notification", "accounts_user",
    ]
    with connection.cursor() as cursor:
        result = {}
        for table in tables:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            result[table] = cursor.fetchone()[0]
    return result


def load_time_now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()

"""A database migrated before the jobs app existed migrates forward with every row kept.

The test database is taken back to the last migrations before the move (job posts, invites and
proposals in ``offers_*`` tables), filled through the historical models with a row in every moved
table and in every table that points at them, then migrated forward and read with today's models.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from approvals.models import ApprovalRequest
from jobs.models import Invite, Job, Proposal
from offers.models import Offer
from referrals.models import Referral

pytestmark = pytest.mark.slow

# The last migration of each app before the jobs app took over Job, Invite and Proposal.
BEFORE_THE_MOVE = [
    ("accounts", "0002_connectsledgerentry"),
    ("offers", "0002_offer_offerrevision_and_more"),
    ("approvals", "0002_reminder_and_expiry_index"),
    ("referrals", "0001_initial"),
]
MOVED_APPS = {"accounts", "jobs", "offers", "approvals", "referrals"}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _migrate_to_latest():
    executor = MigrationExecutor(connection)
    return _migrate(executor.loader.graph.leaf_nodes())


def _old_apps():
    """Historical models before the move, Django's own apps (admin, auth ...) included."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in MOVED_APPS]
    return executor.loader.project_state(BEFORE_THE_MOVE + others).apps


def _table_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _index_names(table):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def _fill_before_the_move(apps):
    """One row in every moved table and in each table pointing at them; returns their ids."""
    Company = apps.get_model("accounts", "Company")
    UserThen = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    FreelancerProfile = apps.get_model("accounts", "FreelancerProfile")
    JobThen = apps.get_model("offers", "Job")
    InviteThen = apps.get_model("offers", "Invite")
    ProposalThen = apps.get_model("offers", "Proposal")
    ApprovalRequestThen = apps.get_model("approvals", "ApprovalRequest")
    OfferThen = apps.get_model("offers", "Offer")
    ReferralThen = apps.get_model("referrals", "Referral")
    ContentTypeThen = apps.get_model("contenttypes", "ContentType")
    PermissionThen = apps.get_model("auth", "Permission")
    LogEntryThen = apps.get_model("admin", "LogEntry")

    now = timezone.now()
    company = Company.objects.create(name="Acme Before", is_enterprise=True, approvals_enabled=True)
    manager = UserThen.objects.create(email="manager@before.test", full_name="Maria Before")
    boss = UserThen.objects.create(email="boss@before.test", full_name="Alan Before")
    Membership.objects.create(company=company, user=manager, is_hiring_manager=True)
    Membership.objects.create(company=company, user=boss, is_approver=True)
    ada, grace = (
        UserThen.objects.create(email=f"{name}@before.test", full_name=name.title())
        for name in ("ada", "grace")
    )
    for person in (ada, grace):
        FreelancerProfile.objects.create(user=person, title="Engineer", connects_balance=20)

    job = JobThen.objects.create(
        company=company, posted_by=manager, title="Data pipeline", description="Move rows.",
        budget_amount=Decimal("80.00"),
    )
    direct = InviteThen.objects.create(
        job=job, freelancer=ada, invited_by=manager, state="declined", responded_at=now,
    )
    referred = InviteThen.objects.create(
        job=job, freelancer=grace, invited_by=ada, source="referral", state="accepted",
        responded_at=now,
    )
    proposal = ProposalThen.objects.create(
        job=job, freelancer=grace, invite=referred, connects_spent=0,
    )
    referral = ReferralThen.objects.create(
        job=job, referrer=ada, referred=grace, original_invite=direct, new_invite=referred,
    )
    request = ApprovalRequestThen.objects.create(
        company=company, requester=manager, approver=boss, freelancer=grace, job=job,
        title="Data pipeline", amount=Decimal("80.00"), start_date=date(2026, 12, 1),
        state="consumed", expires_at=now + timedelta(days=14), decided_at=now, consumed_at=now,
    )
    waiting = ApprovalRequestThen.objects.create(
        company=company, requester=manager, approver=boss, freelancer=ada, title="Still waiting",
        amount=Decimal("50.00"), start_date=date(2026, 12, 1), expires_at=now + timedelta(days=14),
    )
    hired_at = now + timedelta(hours=1)
    offer = OfferThen.objects.create(
        company=company, created_by=manager, freelancer=grace, job=job, approval_request=request,
        title="Data pipeline", amount=Decimal("80.00"), start_date=date(2026, 12, 1),
        state="accepted", responded_at=hired_at,
    )

    job_type, _ = ContentTypeThen.objects.get_or_create(app_label="offers", model="job")
    permission, _ = PermissionThen.objects.get_or_create(
        content_type=job_type, codename="change_job", defaults={"name": "Can change job"},
    )
    boss.user_permissions.add(permission)
    log_entry = LogEntryThen.objects.create(
        user=manager, content_type=job_type, object_id=str(job.pk), object_repr=job.title,
        action_flag=1,
    )
    return {
        "company": company.pk, "manager": manager.pk, "boss": boss.pk, "ada": ada.pk,
        "grace": grace.pk, "job": job.pk, "direct": direct.pk, "referred": referred.pk,
        "proposal": proposal.pk, "referral": referral.pk, "request": request.pk, "waiting": waiting.pk,
        "offer": offer.pk, "hired_at": hired_at, "job_type": job_type.pk,
        "permission": permission.pk, "log_entry": log_entry.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_jobs_app_keeps_every_row():
    try:
        _migrate(BEFORE_THE_MOVE)
        tables = _table_names()
        assert {"offers_job", "offers_invite", "offers_proposal"} <= tables
        assert not {"jobs_job", "jobs_invite", "jobs_proposal"} & tables
        ids = _fill_before_the_move(_old_apps())

        _migrate_to_latest()
        ContentType.objects.clear_cache()

        tables = _table_names()
        assert {"jobs_job", "jobs_invite", "jobs_proposal"} <= tables
        assert not {"offers_job", "offers_invite", "offers_proposal"} & tables
        assert "job_company_newest_idx" in _index_names("jobs_job")

        job = Job.objects.get(pk=ids["job"])
        assert (job.title, job.company_id, job.posted_by_id) == (
            "Data pipeline", ids["company"], ids["manager"],
        )
        direct = Invite.objects.get(pk=ids["direct"])
        referred = Invite.objects.get(pk=ids["referred"])
        assert (direct.job_id, direct.freelancer_id, direct.state) == (job.pk, ids["ada"], "declined")
        assert (referred.job_id, referred.freelancer_id, referred.source) == (
            job.pk, ids["grace"], "referral",
        )
        proposal = Proposal.objects.get(pk=ids["proposal"])
        assert (proposal.job_id, proposal.invite_id, proposal.freelancer_id) == (
            job.pk, referred.pk, ids["grace"],
        )

        request = ApprovalRequest.objects.get(pk=ids["request"])
        assert request.job == job
        offer = Offer.objects.get(pk=ids["offer"])
        assert (offer.job, offer.approval_request, offer.state) == (job, request, "accepted")
        referral = Referral.objects.get(pk=ids["referral"])
        assert (referral.job, referral.original_invite, referral.new_invite) == (job, direct, referred)
        assert list(job.offers.all()) == [offer]
        assert list(job.approval_requests.all()) == [request]

        # Each request's one approver became a one-step chain holding the decision it had.
        step = request.steps.get()
        assert (step.name, step.state, step.chosen_by_requester) == ("Approver", "passed", True)
        assert list(step.approvers.values_list("approver_id", "decision")) == [(ids["boss"], "approved")]
        assert request.decided_by_names == "Alan Before"
        waiting = ApprovalRequest.objects.get(pk=ids["waiting"])
        assert list(waiting.step_approvers.values_list("approver_id", "decision", "step__state")) == [
            (ids["boss"], "pending", "active"),
        ]

        # Invite.hired_at is new: filled from the accepted offer, only for the freelancer hired.
        assert referred.hired_at == ids["hired_at"]
        assert direct.hired_at is None

        # The content type moved with its row id, so permissions and admin history follow.
        job_type = ContentType.objects.get(app_label="jobs", model="job")
        assert job_type.pk == ids["job_type"]
        assert not ContentType.objects.filter(app_label="offers", model="job").exists()
        assert Permission.objects.get(pk=ids["permission"]).content_type == job_type
        assert User.objects.get(pk=ids["boss"]).has_perm("jobs.change_job")
        assert LogEntry.objects.get(pk=ids["log_entry"]).get_edited_object() == job
    finally:
        # Later tests (and pytest-django's flush after this one) need today's schema.
        _migrate_to_latest()
        ContentType.objects.clear_cache()

"""Demo invites and referral beta settings (filled in by the referrals work)."""


def seed():
    return None

"""Demo approval requests (filled in by the approvals work)."""


def seed():
    return None

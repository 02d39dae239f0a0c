"""One-time initial credentials of the accounts administrators create.

The holder replaces the initial password at the first sign-in (``auth.password_expired``), so
whoever handed it over never knows a password that keeps working. For administrator accounts
the password is made of two halves, one shown to the requesting administrator and one to the
approving one (split knowledge): neither can sign in as the new account alone.
"""

import secrets

_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I, O
_LOWER = "abcdefghijkmnpqrstuvwxyz"  # no l, o
_DIGITS = "23456789"  # no 0, 1


def _group() -> str:
    chars = [secrets.choice(_UPPER), secrets.choice(_LOWER), secrets.choice(_LOWER), secrets.choice(_DIGITS)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def initial_password_part() -> str:
    """Half of an initial password, e.g. ``k7Qm-Tx3z``: upper, lower, digit and the dash."""
    return f"{_group()}-{_group()}"


def initial_password() -> str:
    """A whole initial password, e.g. ``k7Qm-Tx3z-Pa4r-w9Ne`` (about 60 bits)."""
    return f"{initial_password_part()}-{initial_password_part()}"


def joined(first: str, second: str) -> str:
    """The initial password made of the requester's and the approver's halves."""
    return f"{first}-{second}"

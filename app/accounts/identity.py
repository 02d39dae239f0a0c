"""Who a face verification proved someone to be (the account's holder, or a registrant)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class VerifiedPerson:
    name: str
    id_number: str

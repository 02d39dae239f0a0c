"""Face verification (人脸核身) of a named person, as WeChat's city-service API offers it."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FacePerson:
    name: str
    id_number: str


@dataclass(frozen=True)
class FaceVerdict:
    passed: bool
    # What makes this verification unique: a verify_result is never accepted twice.
    replay_key: str


class FaceResultUnusable(Exception):
    """The verify_result is unknown to the verifier, expired or malformed."""


class FaceVerifier(Protocol):
    async def verify(
        self, verify_result: str, person: FacePerson, *, face_session_id: str
    ) -> FaceVerdict: ...

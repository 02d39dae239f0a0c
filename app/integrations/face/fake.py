"""Development face verification (contract: ``fake:pass`` passes, ``fake:fail`` fails)."""

import hashlib

from app.integrations.face.base import FacePerson, FaceResultUnusable, FaceVerdict

PASS = "fake:pass"
FAIL = "fake:fail"


class FakeFaceVerifier:
    async def verify(self, verify_result: str, person: FacePerson, *, face_session_id: str) -> FaceVerdict:
        if verify_result not in (PASS, FAIL):
            raise FaceResultUnusable("unknown fake verify_result")
        # The fake's results are fixed strings, so uniqueness is per face session.
        replay_key = hashlib.sha256(f"{face_session_id}:{verify_result}".encode()).hexdigest()
        return FaceVerdict(passed=verify_result == PASS, replay_key=replay_key)

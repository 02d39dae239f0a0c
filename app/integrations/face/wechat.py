"""WeChat 人脸核身: ``POST /cityservice/face/identify/getinfo`` with the verify_result."""

import hashlib

from app.integrations.face.base import FacePerson, FaceResultUnusable, FaceVerdict
from app.integrations.wechat.base import WeChatError
from app.integrations.wechat.client import WeChatApiClient


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


class WeChatFaceVerifier:
    def __init__(self, wechat: WeChatApiClient) -> None:
        self._wechat = wechat

    async def verify(self, verify_result: str, person: FacePerson, *, face_session_id: str) -> FaceVerdict:
        try:
            info = await self._wechat.call_with_token(
                "POST", "/cityservice/face/identify/getinfo", json={"verify_result": verify_result}
            )
        except WeChatError as error:
            raise FaceResultUnusable(str(error)) from error
        passed = (
            info.get("identify_ret") == 0
            # WeChat hashes the ID number with an upper-case X.
            and info.get("id_card_number_md5", "").lower() == _md5(person.id_number.upper())
            and info.get("name_utf8_md5", "").lower() == _md5(person.name)
        )
        return FaceVerdict(passed=passed, replay_key=hashlib.sha256(verify_result.encode()).hexdigest())

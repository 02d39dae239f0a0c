"""导出我的数据 and 注销账号: privacy's gathering and erasure, with auth's face verification,
sessions and audit trail around them."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import User
from app.audit import service as audit
from app.auth import tokens
from app.auth.face import FacePurpose
from app.auth.service import AuthContext, face_of_account_holder
from app.core.pii import PersonalDataCipher
from app.integrations.face.base import FaceVerifier
from app.integrations.storage.base import ObjectStorage
from app.me.schemas import DataExport
from app.privacy import deletion, export
from app.privacy.schemas import DeletionRequest


async def export_my_data(session: AsyncSession, pii: PersonalDataCipher, user: User, ip: str) -> DataExport:
    return DataExport(**await export.export(session, pii, user, ip))


async def delete_account(
    context: AuthContext, verifier: FaceVerifier, storage: ObjectStorage, user: User, proof: DeletionRequest
) -> None:
    session = context.session
    await deletion.refuse_if_not_closable(session, user)
    await face_of_account_holder(context, verifier, user, proof, FacePurpose.account_deletion)
    await deletion.erase(session, storage, user)
    await tokens.revoke_all_sessions(session, user.id, "account_deleted")
    audit.record(
        session,
        "account.deletion",
        "success",
        actor_id=user.id,
        ip=context.ip,
        object_type="user",
        object_id=user.id,
        detail={"role": user.role},
    )

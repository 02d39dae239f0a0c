"""The consent texts users read and agree to, each with the version its consents record.

Change a text → give it a new version: consents to the old wording no longer count.
"""

from dataclasses import dataclass

from app.core.enums import LabelledEnum


class ConsentPurpose(LabelledEnum):
    face_verification = "face_verification", "人脸识别"
    identity_documents = "identity_documents", "身份证明材料"


@dataclass(frozen=True)
class ConsentText:
    purpose: ConsentPurpose
    version: str
    title: str
    text: str


TEXTS = {
    ConsentPurpose.face_verification: ConsentText(
        ConsentPurpose.face_verification,
        "2026-11",
        "人脸识别个人信息处理规则",
        "为核验您的身份，海事一网通办将收集您的姓名、身份证号码和人脸图像，"
        "通过微信人脸核身与公安机关权威数据比对。人脸信息属于敏感个人信息，"
        "仅用于本次身份核验（注册、登录、找回或修改密码、修改手机号码、注销账号），"
        "不会用于其他目的，也不会向其他第三方提供。本系统不保存人脸图像，"
        "核验记录（时间、结果）依法留存用于安全审计。"
        "您可以拒绝，但将无法使用需要人脸识别的功能（法人用户可使用账号密码登录）。"
        "点击“同意”即表示您单独同意上述处理。",
    ),
    ConsentPurpose.identity_documents: ConsentText(
        ConsentPurpose.identity_documents,
        "2026-11",
        "身份证明材料个人信息处理规则",
        "您上传的身份证、护照等身份证明材料包含敏感个人信息（身份证号码、照片等），"
        "仅用于您提交的海事政务服务事项的受理和审批，由受理机构的审批人员查看，"
        "按政务服务档案规定的期限保存。材料加密传输并存储在境内。"
        "您可以随时在“我的”中撤回同意，撤回后将无法再上传身份证明材料，"
        "但不影响撤回前已提交办件的处理。点击“同意”即表示您单独同意上述处理。",
    ),
}

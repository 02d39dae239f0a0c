"""The content of one notice of each kind, as `notices.issue` and the decision parts write it."""

import io
from typing import Any

from pypdf import PdfReader

from app.applications.notices import APPEAL_RIGHTS

COMMON: dict[str, Any] = {
    "application_no": "SH2026120700042",
    "applicant": "上海堃喆航运有限公司",
    "contact_name": "李昇",
    "item": "通航水域岸线安全使用许可",
    "agency": "上海海事局",
    "submitted_on": "2026-12-01",
    "issued_on": "2026-12-07",
    "materials_received": ["岸线安全使用申请书", "岸线使用方案及通航安全论证报告"],
    "legal_basis": ["《中华人民共和国海上交通安全法》", "《中华人民共和国海事行政许可条件规定》"],
    "statutory_time_limit": "20个工作日",
    "promised_time_limit": "15个工作日",
    "comment": None,
}
REMEDIES = (
    "如不服本决定，可以自收到本决定书之日起六十日内向中华人民共和国海事局申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向上海海事法院提起行政诉讼。"
)


def content(title: str, mark: str, **extra: Any) -> dict[str, Any]:
    return {**COMMON, "title": title, "number": f"沪海事{mark}〔2026〕SH2026120700042号", **extra}


CONTENTS: dict[str, dict[str, Any]] = {
    "acceptance": content("受理通知书", "受", comment="材料齐全，予以受理"),
    "rejection": content(
        "不予受理通知书",
        "不受",
        comment="该事项不属于本机关职权范围，请向长江海事局申请",
        appeal_rights=APPEAL_RIGHTS,
    ),
    "supplement": content(
        "补正材料通知书",
        "补",
        supplement_items=[
            {
                "target": "material",
                "key": "safety_study",
                "label": "通航安全论证报告",
                "reason": "缺少专家评审意见页，请补充盖章的评审意见",
            },
            {
                "target": "field",
                "key": "berth_length",
                "label": "岸线长度",
                "reason": "与平面图标注的长度不一致",
            },
        ],
    ),
    "decision": content(
        "准予行政许可决定书",
        "许",
        licence={
            "matter": "同意在黄浦江杨浦段使用岸线120米建设码头",
            "valid_from": "2026-12-07",
            "valid_until": "2029-12-06",
            "conditions": "施工期间设置警戒船并发布航行警告",
        },
    ),
    "filing_certificate": content(
        "备案证明", "备", item="船舶油料供受作业单位备案", filing_number="沪海备〔2026〕0042号"
    ),
    "report_receipt": content(
        "报告接收回执", "收", item="不合规燃油信息报告", fuel_supplier="舟山海港燃料供应有限公司"
    ),
    "denial": content(
        "不予许可决定书",
        "不许",
        denial={
            "reason": "拟使用岸线位于锚地警戒区内，影响船舶通航安全",
            "legal_basis": [
                "《中华人民共和国海上交通安全法》第四十八条",
                "《中华人民共和国行政许可法》第三十八条第二款",
            ],
            "remedies": REMEDIES,
        },
        appeal_rights=APPEAL_RIGHTS,
    ),
}


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, lines joined (a wrapped sentence reads as one)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "".join(page.extract_text() for page in pages).replace("\n", "").replace(" ", "")

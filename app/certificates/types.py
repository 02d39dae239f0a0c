"""The certificate types of the reference data (`certificate_types`) and what each allows.

A certificate keeps its type-specific fields as a JSON document keyed by the ``key`` of a
:class:`FieldSpec`; the spec gives the label users see and whether 证照纠错 may change it.
Only 船员证照 (``crew``) can be shown to an officer (亮证) and corrected (manual §3.3.4).
"""

from dataclasses import dataclass

from app.core.enums import LabelledEnum


class CertificateType(LabelledEnum):
    seafarer_coc_sea = "SEAFARER_COC_SEA", "中华人民共和国海船船员适任证书"
    seafarer_coc_inland = "SEAFARER_COC_INLAND", "中华人民共和国内河船舶船员适任证书"
    seafarer_passport = "SEAFARER_PASSPORT", "中华人民共和国海员证"
    seamans_book = "SEAMANS_BOOK", "船员服务簿"
    training_cert = "TRAINING_CERT", "海船船员培训合格证书"
    special_dispensation = "SPECIAL_DISPENSATION", "船员特免证明"
    pilot_coc = "PILOT_COC", "引航员适任证书"
    ship_nationality = "SHIP_NATIONALITY", "船舶国籍证书"
    ship_ownership = "SHIP_OWNERSHIP", "船舶所有权登记证书"
    ship_mortgage = "SHIP_MORTGAGE", "船舶抵押权登记证书"
    min_safe_manning = "MIN_SAFE_MANNING", "船舶最低安全配员证书"
    clc_cofr = "CLC_COFR", "船舶油污损害民事责任保险或其他财务保证证书"
    water_activity_permit = "WATER_ACTIVITY_PERMIT", "中华人民共和国水上水下活动许可证"
    # Not in the reference data: what an approved application issues (决定书, 备案证明 …).
    result_document = "RESULT_DOCUMENT", "办件结果文书"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    correctable: bool = True
    choices: tuple[str, ...] | None = None
    # What an officer checking the document needs (capacity, grade, area, limits): shown at a
    # scan. Personal details (birth date, gender …) and records (health, training) are not.
    checked: bool = False
    # A pushed certificate may leave it out (a domestic ship has no IMO number …); every other
    # field of its type must be there.
    optional: bool = False
    # ``date``: an ISO date (YYYY-MM-DD), checked as one when pushed.
    kind: str = "text"


@dataclass(frozen=True)
class TypeSpec:
    crew: bool
    fields: tuple[FieldSpec, ...]

    @property
    def correctable_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.correctable) if self.crew else ()

    def field(self, key: str) -> FieldSpec | None:
        return next((spec for spec in self.fields if spec.key == key), None)


_COC_CAPACITIES = (
    *("船长", "大副", "二副", "三副", "值班水手", "高级值班水手"),
    *("轮机长", "大管轮", "二管轮", "三管轮", "值班机工", "高级值班机工", "电子电气员", "电子技工"),
    *("GMDSS一级无线电电子员", "GMDSS二级无线电电子员", "GMDSS通用操作员", "GMDSS限用操作员"),
)
_COC_GRADES = (
    *("3000总吨及以上", "500总吨及以上至3000总吨", "未满500总吨"),
    *("3000千瓦及以上", "750千瓦及以上至3000千瓦", "未满750千瓦"),
)
_GENDER = FieldSpec("gender", "性别", choices=("男", "女"))
_BIRTH_DATE = FieldSpec("birth_date", "出生日期", kind="date")
_NATIONALITY = FieldSpec("nationality", "国籍")
_SHIP_NAME = FieldSpec("ship_name", "船名")
_SHIP_ID = FieldSpec("ship_id", "船舶识别号")
_PORT_OF_REGISTRY = FieldSpec("port_of_registry", "船籍港")

TYPES: dict[CertificateType, TypeSpec] = {
    CertificateType.seafarer_coc_sea: TypeSpec(
        crew=True,
        fields=(
            _GENDER,
            _BIRTH_DATE,
            _NATIONALITY,
            FieldSpec("department", "部门", choices=("甲板部", "轮机部", "无线电"), checked=True),
            FieldSpec("capacity", "职务", choices=_COC_CAPACITIES, checked=True),
            FieldSpec("grade", "等级", choices=_COC_GRADES, checked=True),
            FieldSpec("navigation_area", "航区", choices=("无限航区", "沿海航区"), checked=True),
            FieldSpec("limitations", "适用限制", checked=True, optional=True),
        ),
    ),
    CertificateType.seafarer_coc_inland: TypeSpec(
        crew=True,
        fields=(
            _BIRTH_DATE,
            FieldSpec(
                "capacity",
                "职务",
                choices=(
                    "船长",
                    "大副",
                    "二副",
                    "三副",
                    "轮机长",
                    "大管轮",
                    "二管轮",
                    "三管轮",
                    "驾驶员",
                    "轮机员",
                ),
                checked=True,
            ),
            FieldSpec("grade", "等级", choices=("一类", "二类", "三类"), checked=True),
            FieldSpec("route_limits", "航线/航段限制", checked=True, optional=True),
        ),
    ),
    CertificateType.seafarer_passport: TypeSpec(
        crew=True, fields=(_GENDER, _BIRTH_DATE, _NATIONALITY, FieldSpec("birth_place", "出生地点"))
    ),
    CertificateType.seamans_book: TypeSpec(
        crew=True,
        fields=(
            FieldSpec("registration", "船员注册信息"),
            FieldSpec("service_record", "服务资历", correctable=False),
            FieldSpec("training_record", "培训记录", correctable=False),
            FieldSpec("medical_record", "体检记录", correctable=False),
        ),
    ),
    CertificateType.training_cert: TypeSpec(
        crew=True, fields=(FieldSpec("training_items", "培训项目及代码", checked=True),)
    ),
    CertificateType.special_dispensation: TypeSpec(
        crew=True,
        fields=(FieldSpec("ship_name", "船名", checked=True), FieldSpec("capacity", "特免职务", checked=True)),
    ),
    # Pilots board the ships they pilot and are checked like the crew.
    CertificateType.pilot_coc: TypeSpec(
        crew=True,
        fields=(
            FieldSpec(
                "pilot_grade", "引航员等级", choices=("特级", "高级", "一级", "二级", "三级"), checked=True
            ),
            FieldSpec("pilotage_area", "引航区域", checked=True),
        ),
    ),
    CertificateType.ship_nationality: TypeSpec(
        crew=False,
        fields=(
            _SHIP_NAME,
            _SHIP_ID,
            FieldSpec("imo_number", "IMO编号", optional=True),
            FieldSpec("call_sign", "呼号", optional=True),
            _PORT_OF_REGISTRY,
            FieldSpec("ship_type", "船舶种类"),
            FieldSpec("gross_tonnage", "总吨"),
            FieldSpec("net_tonnage", "净吨"),
            FieldSpec("owner", "船舶所有人"),
            FieldSpec("operator", "船舶经营人", optional=True),
        ),
    ),
    CertificateType.ship_ownership: TypeSpec(
        crew=False,
        fields=(_SHIP_NAME, _SHIP_ID, _PORT_OF_REGISTRY, FieldSpec("owners", "船舶所有人及共有情况")),
    ),
    CertificateType.ship_mortgage: TypeSpec(
        crew=False,
        fields=(
            _SHIP_NAME,
            FieldSpec("mortgagor", "抵押人"),
            FieldSpec("mortgagee", "抵押权人"),
            FieldSpec("secured_amount", "被担保债权数额"),
            FieldSpec("mortgage_term", "抵押期限"),
        ),
    ),
    CertificateType.min_safe_manning: TypeSpec(
        crew=False,
        fields=(
            _SHIP_NAME,
            _SHIP_ID,
            FieldSpec("navigation_area", "航区/航段"),
            FieldSpec("minimum_manning", "各职务最低配员数"),
        ),
    ),
    CertificateType.clc_cofr: TypeSpec(
        crew=False,
        fields=(
            _SHIP_NAME,
            FieldSpec("imo_number", "船舶识别号/IMO"),
            _PORT_OF_REGISTRY,
            FieldSpec("owner", "船舶所有人名称和地址"),
            FieldSpec("insurer", "保险人/担保人"),
        ),
    ),
    CertificateType.water_activity_permit: TypeSpec(
        crew=False,
        fields=(
            FieldSpec("applicant", "申请单位/施工单位"),
            FieldSpec("activity", "活动内容"),
            FieldSpec("waters", "活动水域"),
            FieldSpec("vessels", "作业船舶"),
        ),
    ),
    CertificateType.result_document: TypeSpec(
        crew=False,
        fields=(
            FieldSpec("item_name", "办理事项"),
            # A 准予行政许可决定书 (licensing items): what it permits, for how long, on which terms.
            FieldSpec("matter", "许可事项"),
            FieldSpec("validity", "有效期限"),
            FieldSpec("conditions", "附加条件", optional=True),
        ),
    ),
}


# What the authority's registry pushes: the reference data's types, not this service's own
# result documents.
PUSHABLE_TYPES: tuple[CertificateType, ...] = tuple(
    kind for kind in CertificateType if kind is not CertificateType.result_document
)

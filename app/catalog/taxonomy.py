"""The four ways to browse the catalog (manual §3.1.3.2), as codes with zh-CN labels."""

from app.core.enums import LabelledEnum


class Audience(LabelledEnum):
    personal = "personal", "个人办事"
    corporate = "corporate", "法人办事"


class Business(LabelledEnum):
    navigation = "navigation", "通航管理"
    ship = "ship", "船舶管理"
    crew = "crew", "船员管理"
    pollution = "pollution", "危防管理"
    shipping = "shipping", "航运管理"
    inspection = "inspection", "船检管理"
    aids = "aids", "航标管理"
    other = "other", "其他"


class Nature(LabelledEnum):
    licensing = "licensing", "行政许可"
    confirmation = "confirmation", "行政确认"
    filing = "filing", "行政备案"
    other_power = "other_power", "其他行政权力"

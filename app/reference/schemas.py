from pydantic import Field

from app.core.schemas import AppModel


class CountryRead(AppModel):
    id: str = Field(description="ISO 3166-1 二位字母代码", examples=["CN"])
    alpha3: str = Field(examples=["CHN"])
    numeric: str = Field(examples=["156"])
    name_zh: str = Field(examples=["中国"])
    name_en: str = Field(examples=["China"])


class PortRead(AppModel):
    id: str = Field(description="联合国贸易和运输地点代码（UN/LOCODE）", examples=["CNSHA"])
    name_zh: str = Field(examples=["上海"])
    name_en: str = Field(examples=["Shanghai"])
    country: str = Field(description="所在国家或地区（ISO 3166-1 二位代码）", examples=["CN"])
    kind: str = Field(description="`sea` 沿海港口 / `river` 内河港口", examples=["sea"])
    region: str = Field(examples=["上海市"])


class FuelSupplierRead(AppModel):
    id: str = Field(examples=["FS001"])
    name_zh: str
    name_en: str
    port: str = Field(description="供应港口（UN/LOCODE）", examples=["CNSHA"])
    country: str = Field(examples=["CN"])
    address: str
    phone: str | None


class RegulationItemRead(AppModel):
    id: str = Field(examples=["MARPOL-VI-14.1.3"])
    title: str
    description: str
    source: str

from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.identifiers import CallSign, CountryCode, ImoNumber, Mmsi
from app.core.schemas import LocalDateTime, RequestModel, Visible

ShipName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), Visible]
PortOfRegistry = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), Visible]


class ShipCreate(RequestModel):
    name: ShipName = Field(description="船名（中/英）", examples=["海港明珠"])
    imo_number: ImoNumber = Field(description="IMO编号（7位，含校验位）", examples=["9876543"])
    mmsi: Mmsi = Field(examples=["413123450"])
    call_sign: CallSign | None = Field(default=None, description="呼号", examples=["BQHM"])
    flag: CountryCode = Field(description="船旗国（ISO 3166-1 二位代码）", examples=["CN"])
    port_of_registry: PortOfRegistry | None = Field(default=None, description="船籍港", examples=["上海"])
    ship_type: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32), Visible] = Field(
        description="船舶种类", examples=["散货船"]
    )
    gross_tonnage: int = Field(ge=1, le=1_000_000, description="总吨", examples=[38500])


class ShipRead(ShipCreate):
    id: str
    created_at: LocalDateTime

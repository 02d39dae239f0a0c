from datetime import date

from pydantic import Field

from app.core.schemas import AppModel


class Figures(AppModel):
    """The numbers of one slice (all, one item, one month) of the period."""

    received: int = Field(description="收件：期间内提交的办件数（按最近一次提交时间）")
    accepted: int = Field(description="受理：期间内受理的办件数")
    finished: int = Field(description="办结：期间内作出决定的办件数（已办结、不予许可、不予受理）")
    finished_with_deadline: int = Field(description="办结件中有承诺办结日期的件数（按时办结率的分母）")
    finished_on_time: int = Field(description="其中在承诺办结日期当天或之前作出决定的件数")
    on_time_rate: float | None = Field(
        description="按时办结率：finished_on_time ÷ finished_with_deadline（0–1，保留四位小数）；无可比件时为 null"
    )
    average_working_days: float | None = Field(
        description="平均办理工作日：办结件从提交到作出决定的工作日数的平均值（保留两位小数）；无办结件时为 null"
    )
    ratings: int = Field(description="期间内收到的评价数")
    good_ratings: int = Field(description="其中好评（4 星及以上）数")
    good_rating_rate: float | None = Field(
        description="好评率：好评数 ÷ 评价数（0–1，保留四位小数）；无评价时为 null"
    )


class SubtreeFigures(Figures):
    overdue_open: int = Field(
        description="当前超期未办结：已过承诺办结日期仍未作出决定的办件数（截至今天，不受统计期间限制）"
    )


class ItemFigures(SubtreeFigures):
    item_code: str = Field(examples=["TH-002"])
    item_name: str


class MonthFigures(Figures):
    month: str = Field(description="月份（北京时间）", examples=["2026-01"], pattern=r"^[0-9]{4}-[0-9]{2}$")


class Statistics(AppModel):
    period_from: date = Field(description="统计期间起（含，北京时间）")
    period_to: date = Field(description="统计期间止（含，北京时间）")
    agency_code: str | None = Field(description="所选机构（含其下级机构）；null 为本人机构范围")
    item_code: str | None = Field(description="所选事项；null 为全部事项")
    totals: SubtreeFigures
    by_item: list[ItemFigures] = Field(description="按事项，仅列出期间内有数据的事项，按收件数从多到少")
    by_month: list[MonthFigures] = Field(description="按月，期间内每个月各一项（无数据的月份为 0）")

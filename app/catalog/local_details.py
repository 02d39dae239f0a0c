"""The guide with a unit's local details: 受理地点, 办理时间, 咨询电话 and 收费 as the chosen unit
(or the nearest unit above it that says) has them, instead of “以所选受理海事机构…为准”.

One pure function for the live guide (``GET /catalog/items/{code}?agency=``) and for a guide
as a dataset version held it: both hand it records in the ``agencies.json`` format.
"""

from typing import Any

from app.agencies.models import AgencyLevel

# What each local detail (``item_details`` key) falls back to among the unit's own fields;
# the fee has none (a unit's fee is about an item or nothing).
_OWN_FIELD = {"place": "address", "hours": "office_hours", "phone": "phone", "fee": None}


def local_values(item_code: str, chain: list[dict[str, Any]]) -> dict[str, tuple[str, dict[str, Any]] | None]:
    """For each detail (``place``, ``hours``, ``phone``, ``fee``): the value and the record it
    came from, or None when no unit of ``chain`` (the chosen unit, then its ancestors, nearest
    first) says it. The nearest unit's ``item_details[item_code]`` value comes first; then, for
    place, hours and phone, the nearest unit's own ``address`` / ``office_hours`` / ``phone``."""
    found: dict[str, tuple[str, dict[str, Any]] | None] = {}
    for detail, own in _OWN_FIELD.items():
        found[detail] = next(
            (
                (value, record)
                for record in chain
                if (value := ((record.get("item_details") or {}).get(item_code) or {}).get(detail))
            ),
            None,
        )
        if found[detail] is None and own is not None:
            found[detail] = next(
                ((record[own], record) for record in chain if record.get(own) and _takes_applications(record)), None
            )
    return found


def _takes_applications(record: dict[str, Any]) -> bool:
    """Whether a unit's own address, hours and phone say where its subtree takes applications:
    not the 部海事局's, which are the national headquarters' (a 直属局 without an address of its
    own would send applicants to Beijing)."""
    return record.get("level") != AgencyLevel.ministry_bureau.value


def localize(guide: dict[str, Any], item_code: str, chain: list[dict[str, Any]]) -> dict[str, Any]:
    """``guide`` (an item's guide, as items.json holds it) with the local details of ``chain``:
    ``location_and_hours`` (受理地点/办理时间), ``consult_phone`` (咨询电话) and ``fee`` (收费) each
    taken from the units when one of them says, else the guide's own text. ``guide`` is left as it is."""
    values = {detail: found[0] if found else None for detail, found in local_values(item_code, chain).items()}
    localized = dict(guide)
    place_and_hours = [
        f"{label}：{values[detail]}"
        for detail, label in (("place", "受理地点"), ("hours", "办理时间"))
        if values[detail]
    ]
    if place_and_hours:
        localized["location_and_hours"] = "；".join(place_and_hours)
    if values["phone"]:
        localized["consult_phone"] = values["phone"]
    if values["fee"]:
        localized["fee"] = values["fee"]
    return localized

"""Loading administrative units. Every loader is idempotent: run it twice and nothing is duplicated."""

import csv
import json
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from congso.core.text import fold, nfc
from congso.geo.constants import LAST_DAY_BEFORE_REFORM, REFORM_DATE, UNIT_TYPE_PREFIX, UnitLevel, UnitType
from congso.geo.models import AdministrativeUnit, UnitSuccession

DATA_DIR = Path(settings.BASE_DIR) / "data" / "geo"
UNITS_CSV = DATA_DIR / "units_2025.csv"
CAMAU_GEOJSON = DATA_DIR / "camau_xa_phuong_2025.geojson"
NATIONAL_SOURCE = "Decision 19/2025/QĐ-TTg, via data/geo/units_2025.csv"
CAMAU_SOURCE = "lamngockhuong/vietnam-3d-map (MIT), via data/geo/camau_xa_phuong_2025.geojson"

_UPDATABLE = ["name", "full_name", "search_key", "unit_type", "level", "parent", "effective_from", "source"]


@transaction.atomic
def units_load_national(*, path: Path = UNITS_CSV) -> dict[str, int]:
    """Create or update the 34 provinces and 3,321 communes from the CSV shipped in the repository."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = {
        unit.code: unit for unit in AdministrativeUnit.objects.filter(code__in=[r["code"] for r in rows])
    }
    created = updated = 0
    # Provinces first so that communes can point at them.
    for level in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
        parents = {
            u.code: u for u in AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, code__gt="")
        }
        to_create, to_update = [], []
        for row in (r for r in rows if r["level"] == level):
            values = {
                "name": row["name"],
                "full_name": row["full_name"],
                "search_key": fold(row["full_name"]),
                "unit_type": row["unit_type"],
                "level": row["level"],
                "parent": parents.get(row["parent_code"]) if row["parent_code"] else None,
                "effective_from": REFORM_DATE,
                "source": NATIONAL_SOURCE,
            }
            unit = existing.get(row["code"])
            if unit is None:
                to_create.append(AdministrativeUnit(code=row["code"], **values))
            elif any(getattr(unit, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(unit, field, value)
                to_update.append(unit)
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=500)
        AdministrativeUnit.objects.bulk_update(to_update, _UPDATABLE, batch_size=500)
        created += len(to_create)
        updated += len(to_update)
    return {"created": created, "updated": updated}


@dataclass(frozen=True)
class FormerUnit:
    """One entry of a ``truoc_sap_nhap`` list, e.g. "Phường 7 (thành phố Cà Mau) (phần còn lại …)"."""

    unit_type: str
    name: str
    former_district: str
    note: str

    @property
    def is_partial(self) -> bool:
        return bool(re.search(r"phần còn lại|một phần", self.note))


_FORMER_PREFIXES = {"Thị trấn": UnitType.TOWNSHIP, "Phường": UnitType.WARD, "Xã": UnitType.COMMUNE}
_DISTRICT_WORDS = ("thành phố ", "thị xã ", "huyện ")


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_predecessors(text: str) -> list[FormerUnit]:
    """Parse the predecessors of a 2025 commune as published ("Không sáp nhập" gives an empty list)."""
    text = nfc(text)
    if not text or fold(text) == "khong sap nhap":
        return []
    result = []
    for item in _split_top_level(text):
        groups = re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", item)
        head = item.split("(", 1)[0].strip()
        district, notes = "", []
        for group in groups:
            if group.startswith(_DISTRICT_WORDS):
                district = group
            else:
                notes.append(group)
        for prefix, unit_type in _FORMER_PREFIXES.items():
            if head.startswith(prefix + " "):
                result.append(FormerUnit(unit_type, head[len(prefix) + 1 :], district, "; ".join(notes)))
                break
        else:
            raise ValueError(f"unknown unit type in {item!r}")
    return result


@transaction.atomic
def communes_load_camau(*, path: Path = CAMAU_GEOJSON) -> dict[str, int]:
    """Attach boundaries and facts to Cà Mau's 64 communes and load their predecessors (before July 2025)."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    communes = {
        u.code: u
        for u in AdministrativeUnit.objects.filter(code__in=[f["properties"]["ma_xa"] for f in features])
    }
    former_cache = {
        (u.unit_type, u.name, u.former_district): u
        for u in AdministrativeUnit.objects.filter(code="", effective_to__isnull=False)
    }
    links_created = formers_created = 0
    for feature in features:
        props = feature["properties"]
        commune = communes[props["ma_xa"]]
        commune.boundary = feature["geometry"]
        commune.population = props.get("dan_so")
        # The source's own area is wrong for former Bạc Liêu units; the polygon estimate is not.
        commune.area_km2 = Decimal(str(props["dien_tich_polygon_km2_uoc_tinh"]))
        commune.centroid_lat = Decimal(str(props["tam_lat"])).quantize(Decimal("0.000001"))
        commune.centroid_lon = Decimal(str(props["tam_lon"])).quantize(Decimal("0.000001"))
        commune.headquarters = nfc(props.get("tru_so") or "")
        commune.save(
            update_fields=[
                "boundary",
                "population",
                "area_km2",
                "centroid_lat",
                "centroid_lon",
                "headquarters",
            ]
        )
        predecessors = parse_predecessors(props.get("truoc_sap_nhap") or "")
        if not predecessors:
            # "Không sáp nhập": the same unit carried on under the new code.
            predecessors = [FormerUnit(UnitType(commune.unit_type), commune.name, "", "không sáp nhập")]
        for former in predecessors:
            key = (former.unit_type, former.name, former.former_district)
            unit = former_cache.get(key)
            if unit is None:
                unit = AdministrativeUnit.objects.create(
                    code="",
                    name=former.name,
                    full_name=f"{UNIT_TYPE_PREFIX[UnitType(former.unit_type)]} {former.name}",
                    unit_type=former.unit_type,
                    level=UnitLevel.COMMUNE,
                    former_district=former.former_district,
                    effective_to=LAST_DAY_BEFORE_REFORM,
                    source=CAMAU_SOURCE,
                )
                former_cache[key] = unit
                formers_created += 1
            _, created = UnitSuccession.objects.update_or_create(
                predecessor=unit,
                successor=commune,
                defaults={
                    "effective_on": REFORM_DATE,
                    "note": former.note[:255],
                    "is_partial": former.is_partial,
                },
            )
            links_created += created
    return {"communes": len(features), "former_units": formers_created, "links": links_created}


# Names heard across the Mekong delta; the demo picks from them deterministically (same list every run).
_HAMLET_NAMES = [
    "Tân Hưng",
    "Tân Phong",
    "Bà Điều",
    "Cái Keo",
    "Xóm Mới",
    "Chợ",
    "Rạch Cui",
    "Kinh Tư",
    "Kinh Năm",
    "Thạnh Điền",
    "Bình Minh",
    "Lung Lá",
    "Sào Lưới",
    "Cây Dương",
    "Vàm Đình",
    "Ông Đơn",
    "Tân Điền",
    "Cái Rắn",
    "Mương Điều",
    "Bà Ai",
    "Nhà Thờ",
    "Đầu Sấu",
    "Kênh Ngang",
    "Bờ Đập",
    "Xẻo Quao",
    "Rạch Gốc",
    "Nhà Việc",
    "Công Điền",
    "Tân Lợi",
    "Vĩnh Phú",
    "Đồng Tâm",
    "Hòa Thạnh",
    "Tám Ngàn",
    "Phú Hòa",
]


@transaction.atomic
def hamlets_generate_demo(*, province_code: str) -> int:
    """Give every commune of the province 5–12 plausible hamlets (ấp; khóm in wards), marked as demo data.

    Hamlets have no national code; the province keeps its own list, which replaces this demo when imported.
    """
    communes = list(AdministrativeUnit.objects.current().communes().filter(parent__code=province_code))
    have = set(
        AdministrativeUnit.objects.filter(level=UnitLevel.HAMLET, parent__in=communes).values_list(
            "code", flat=True
        )
    )
    to_create = []
    for commune in communes:
        rng = random.Random(commune.code)  # noqa: S311 - demo names, not security
        count = rng.randint(5, 12)
        if commune.unit_type == UnitType.WARD:
            names = [(UnitType.NEIGHBOURHOOD, str(i)) for i in range(1, count + 1)]
        else:
            picked = rng.sample(_HAMLET_NAMES, count // 2)
            numbered = [str(i) for i in range(1, count - len(picked) + 1)]
            names = [(UnitType.HAMLET, n) for n in numbered + picked]
        for index, (unit_type, name) in enumerate(names, start=1):
            code = f"{commune.code}-{index:02d}"
            if code in have:
                continue
            full_name = f"{UNIT_TYPE_PREFIX[unit_type]} {name}"
            to_create.append(
                AdministrativeUnit(
                    code=code,
                    name=name,
                    full_name=full_name,
                    search_key=fold(full_name),
                    unit_type=unit_type,
                    level=UnitLevel.HAMLET,
                    parent=commune,
                    is_demo=True,
                    source="demo",
                )
            )
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=500)
    return len(to_create)

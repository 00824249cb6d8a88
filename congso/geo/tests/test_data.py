import csv
import json
from collections import Counter

import pytest
from django.db.models import Count

from congso.geo.constants import UnitLevel, UnitType
from congso.geo.models import AdministrativeUnit, UnitSuccession
from congso.geo.services import (
    CAMAU_GEOJSON,
    UNITS_CSV,
    communes_load_camau,
    hamlets_generate_demo,
    units_load_national,
)


def test_data_file_has_every_unit_once():
    with UNITS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    levels = Counter(row["level"] for row in rows)
    assert levels == {"province": 34, "commune": 3321}
    provinces = {row["code"] for row in rows if row["level"] == "province"}
    assert all(row["parent_code"] in provinces for row in rows if row["level"] == "commune")
    assert all(len(row["code"]) == 5 for row in rows if row["level"] == "commune")
    # Decision 19/2025: 2,621 xã, 687 phường, 13 đặc khu.
    assert Counter(row["unit_type"] for row in rows if row["level"] == "commune") == {
        "xa": 2621,
        "phuong": 687,
        "dac_khu": 13,
    }


@pytest.mark.django_db
def test_database_holds_34_provinces_and_3321_communes():
    assert AdministrativeUnit.objects.current().filter(level=UnitLevel.PROVINCE).count() == 34
    assert AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE).count() == 3321
    camau = AdministrativeUnit.objects.get(code="96")
    assert camau.full_name == "Tỉnh Cà Mau"
    communes = AdministrativeUnit.objects.current().communes().filter(parent=camau)
    assert communes.count() == 64
    assert Counter(communes.values_list("unit_type", flat=True)) == {UnitType.COMMUNE: 55, UnitType.WARD: 9}
    hanoi = AdministrativeUnit.objects.get(code="01")
    assert hanoi.full_name == "Thành phố Hà Nội"
    assert hanoi.unit_type == UnitType.CITY


@pytest.mark.django_db
def test_camau_communes_match_the_boundary_file():
    features = json.loads(CAMAU_GEOJSON.read_text(encoding="utf-8"))["features"]
    by_code = {u.code: u for u in AdministrativeUnit.objects.filter(parent__code="96")}
    for feature in features:
        props = feature["properties"]
        commune = by_code[props["ma_xa"]]
        assert commune.full_name == f"{props['loai']} {props['ten']}"
        assert commune.boundary["type"] == "MultiPolygon"
        assert commune.population == props["dan_so"]
    dat_mui = by_code["32248"]
    assert 8.5 < float(dat_mui.centroid_lat) < 9.0


@pytest.mark.django_db
def test_loaders_are_idempotent():
    before = AdministrativeUnit.objects.count(), UnitSuccession.objects.count()
    assert units_load_national() == {"created": 0, "updated": 0}
    again = communes_load_camau()
    assert again["former_units"] == 0
    assert again["links"] == 0
    assert hamlets_generate_demo(province_code="96") == 0
    assert (AdministrativeUnit.objects.count(), UnitSuccession.objects.count()) == before


@pytest.mark.django_db
def test_loader_repairs_a_changed_name():
    AdministrativeUnit.objects.filter(code="32248").update(name="Sai", full_name="Xã Sai")
    assert units_load_national() == {"created": 0, "updated": 1}
    assert AdministrativeUnit.objects.get(code="32248").full_name == "Xã Đất Mũi"


@pytest.mark.django_db
def test_demo_hamlets_belong_to_camau_and_are_marked():
    hamlets = AdministrativeUnit.objects.filter(level=UnitLevel.HAMLET)
    assert hamlets.exists()
    assert not hamlets.filter(is_demo=False).exists()
    assert set(hamlets.values_list("parent__parent__code", flat=True)) == {"96"}
    counts = AdministrativeUnit.objects.filter(parent__code="96").annotate(n=Count("children"))
    assert {commune.n for commune in counts} <= set(range(5, 13))
    # Wards have khóm, communes have ấp.
    assert (
        not hamlets.filter(parent__unit_type=UnitType.WARD).exclude(unit_type=UnitType.NEIGHBOURHOOD).exists()
    )
    assert not hamlets.filter(parent__unit_type=UnitType.COMMUNE).exclude(unit_type=UnitType.HAMLET).exists()

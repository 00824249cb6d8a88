"""Old names (before 1 July 2025) map to the units that replaced them."""

import pytest

from congso.geo.constants import UnitType
from congso.geo.models import AdministrativeUnit
from congso.geo.selectors import unit_successors_of_former
from congso.geo.services import FormerUnit, parse_predecessors


def test_parse_keeps_district_and_partial_notes():
    text = (
        "Phường 5 (thành phố Cà Mau), Phường Tân Thành, Xã Tân Thành, "
        "Phường 7 (thành phố Cà Mau) (phần còn lại sau khi sáp nhập vào phường Tân Thành), "
        "Xã Nguyễn Phích (phần còn lại sau khi sáp nhập vào xã Nguyễn Phích, xã Khánh Lâm), Thị trấn U Minh"
    )
    parsed = parse_predecessors(text)
    assert parsed == [
        FormerUnit(UnitType.WARD, "5", "thành phố Cà Mau", ""),
        FormerUnit(UnitType.WARD, "Tân Thành", "", ""),
        FormerUnit(UnitType.COMMUNE, "Tân Thành", "", ""),
        FormerUnit(
            UnitType.WARD, "7", "thành phố Cà Mau", "phần còn lại sau khi sáp nhập vào phường Tân Thành"
        ),
        FormerUnit(
            UnitType.COMMUNE,
            "Nguyễn Phích",
            "",
            "phần còn lại sau khi sáp nhập vào xã Nguyễn Phích, xã Khánh Lâm",
        ),
        FormerUnit(UnitType.TOWNSHIP, "U Minh", "", ""),
    ]
    assert [p.is_partial for p in parsed] == [False, False, False, True, True, False]


def test_parse_not_merged_and_unknown_type():
    assert parse_predecessors("Không sáp nhập") == []
    with pytest.raises(ValueError, match="unknown unit type"):
        parse_predecessors("Huyện U Minh")


@pytest.mark.django_db
def test_khanh_thuan_was_split_between_two_communes():
    # ONE-STOP.md: "xã Khánh Thuận, huyện U Minh" → xã Nguyễn Phích and xã U Minh.
    successors = set(unit_successors_of_former(name="xã Khánh Thuận").values_list("full_name", flat=True))
    assert successors == {"Xã Nguyễn Phích", "Xã U Minh"}
    # Without accents and without the type word too.
    assert set(unit_successors_of_former(name="khanh thuan").values_list("code", flat=True)) == {
        "32044",
        "32047",
    }


@pytest.mark.django_db
def test_an_xuyen_predecessors_match_the_independent_mapping():
    an_xuyen = AdministrativeUnit.objects.get(code="32002")
    names = {
        (link.predecessor.full_name, link.predecessor.former_district)
        for link in an_xuyen.predecessions.all()
    }
    assert names == {
        ("Phường 1", "thành phố Cà Mau"),
        ("Phường 2", "thành phố Cà Mau"),
        ("Phường 9", ""),
        ("Phường Tân Xuyên", ""),
        ("Xã An Xuyên", ""),
    }


@pytest.mark.django_db
def test_old_district_disambiguates_same_names():
    # "Phường 1" existed in Bạc Liêu, Giá Rai and Cà Mau city.
    assert unit_successors_of_former(name="Phường 1").count() == 3
    only = unit_successors_of_former(name="Phường 1", former_district="Giá Rai")
    assert list(only.values_list("full_name", flat=True)) == ["Phường Giá Rai"]


@pytest.mark.django_db
def test_unmerged_commune_keeps_a_link_to_itself():
    ho_thi_ky = AdministrativeUnit.objects.get(code="32092")
    (link,) = ho_thi_ky.predecessions.select_related("predecessor")
    assert link.predecessor.full_name == "Xã Hồ Thị Kỷ"
    assert link.predecessor.effective_to is not None
    assert not link.is_partial


@pytest.mark.django_db
def test_former_units_are_not_current():
    former = AdministrativeUnit.objects.filter(code="")
    assert former.count() > 100
    assert not former.filter(effective_to__isnull=True).exists()
    assert not AdministrativeUnit.objects.current().filter(code="").exists()

import pytest
from django.core.management import CommandError, call_command

from congso.core.exceptions import ApplicationError
from congso.indicators.metadata import metadata_import, metadata_rows_from_file, starter_load
from congso.indicators.models import DataElement, Domain, Indicator, ReportingForm, Target

pytestmark = pytest.mark.django_db

HEADER = (
    "type,code,name,domain,form,period_type,owner_agency,deadline_days,"
    "value_type,aggregation_type,option_set,unit_level"
)
CSV = (
    HEADER
    + """
element,FISH_BOATS,Tàu cá có thiết bị giám sát hành trình,,F_FISH,,,,integer,last,,
form,F_FISH,Giám sát tàu cá,THUYSAN,,quarterly,Sở Nông nghiệp và Môi trường,15,,,,commune
domain,THUYSAN,Thủy sản,,,,,,,,,
"""
)


def test_metadata_import_from_csv_in_any_order():
    counts = metadata_import(rows=metadata_rows_from_file("meta.csv", CSV.encode()))
    assert counts == {"domain": 1, "form": 1, "element": 1}
    element = DataElement.objects.get(code="FISH_BOATS")
    assert element.aggregation_type == "last" and element.form.period_type == "quarterly"
    assert element.form.deadline_days == 15


def test_a_bad_row_keeps_nothing():
    bad = CSV.replace("integer,last", "integer,median")
    with pytest.raises(ApplicationError) as error:
        metadata_import(rows=metadata_rows_from_file("meta.csv", bad.encode()))
    assert "Dòng 2" in error.value.message and "median" in error.value.message
    assert not Domain.objects.filter(code="THUYSAN").exists()


def test_command(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("indicators_metadata_import", str(path))
    assert ReportingForm.objects.filter(code="F_FISH").exists()
    with pytest.raises(CommandError):
        call_command("indicators_metadata_import", str(tmp_path / "none.csv"))


def test_starter_is_idempotent_and_has_targets():
    starter_load()
    starter_load()
    assert Indicator.objects.filter(pillar="economy").count() >= 4
    assert Target.objects.get(indicator__code="EID_RATE", year=2025).value == 80
    call_command("indicators_load")

"""Hypothesis on the parsers of outside input that exist now: the catalogue import (CSV/Excel lists from the
national portal, typed by hand in Excel) and the public dossier lookup. Whatever comes in, they answer with
a result or their documented error, never anything else."""

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from congso.catalog.importers import parsing
from congso.catalog.importers.officials import (
    IMPORT_COLUMNS,
    ImportFileError,
    read_import_file,
    validate_import_rows,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text as people type it in Excel: Vietnamese letters, digits, separators, odd whitespace and controls.
TEXT = st.text(
    alphabet=st.sampled_from(
        string.printable + "Đđàáảãạăắằẳẵặâấầẩẫậêếềểễệôốồổỗộơớờởỡợưứừửữựýỳỷỹỵ|:;,.-–\u00a0\u200b\0"
    ),
    max_size=120,
)


@FAST
@given(TEXT)
@example("Trực tuyến: 5 Ngày làm việc | Trực tiếp: 1,5 ngày")
@example("Trực tuyến: 99999999999999999999999999999 Ngày")
def test_processing_times_never_fail(text):
    for parsed in parsing.parse_processing_times(text):
        assert parsed.value is None or parsed.value >= 0
    parsing.times_by_channel(parsing.parse_processing_times(text))


@FAST
@given(TEXT)
@example("Lệ phí: 50.000 đồng | Trực tuyến: Miễn phí")
def test_fees_never_fail(text):
    fees = parsing.unique_fees(parsing.parse_fees(text))
    assert isinstance(fees, list)


@FAST
@given(TEXT)
def test_amounts_and_levels_never_fail(text):
    amount = parsing.parse_amount(text)
    assert amount is None or amount >= 0
    assert len(parsing.parse_levels(text)) == 3


def rows_strategy():
    cell = TEXT
    row = st.fixed_dictionaries(dict.fromkeys(IMPORT_COLUMNS, cell))
    return st.lists(st.tuples(st.integers(min_value=2, max_value=10_000), row), max_size=5)


@FAST
@given(rows_strategy())
def test_row_validation_reports_instead_of_failing(rows):
    good, errors = validate_import_rows(rows)
    assert len(good) <= len(rows)
    assert all(isinstance(reason, str) and reason for _, reason in errors)
    assert {number for number, _ in errors} <= {number for number, _ in rows}


@pytest.fixture
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("imports")


@FAST
@given(st.binary(max_size=400))
@example(b"\xef\xbb\xbfma_thu_tuc;ten_thu_tuc\n1.001193;Khai sinh\n")
@example(b"\xff\xfe\x00")
def test_any_csv_bytes_give_rows_or_a_vietnamese_error(folder, data):
    path = Path(folder) / "list.csv"
    path.write_bytes(data)
    try:
        rows = read_import_file(path)
    except ImportFileError as error:
        assert str(error)
        return
    for number, row in rows:
        assert number >= 2 and set(row) == set(IMPORT_COLUMNS)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
@example(b"PK\x03\x04" + b"\0" * 40)
def test_any_xlsx_bytes_give_rows_or_a_vietnamese_error(folder, data):
    path = Path(folder) / "list.xlsx"
    path.write_bytes(data)
    with pytest.raises(ImportFileError):
        read_import_file(path)


@pytest.mark.django_db
@FAST
@given(code=TEXT, key=TEXT)
@example(code="000.00.26.H12-261127-0001", key="ABCD1234")
@example(code="\0", key="\0")
@example(code="x" * 500, key="' OR 1=1 --")
def test_the_public_lookup_answers_any_input(client, code, key):
    from django.core.cache import cache

    cache.clear()  # the rate limit is tested elsewhere
    nul = "\0" in code + key  # refused by congso.core.middleware.RejectNulMiddleware before any view
    response = client.get("/tra-cuu/", {"ma": code, "khoa": key})
    assert response.status_code in ({400} if nul else {200, 404})
    api = client.get("/api/v1/dossiers/status", {"code": code, "key": key})
    assert api.status_code in ({400} if nul else {404, 422})


@pytest.mark.django_db
def test_the_api_lookup_answers_nul_characters(client):
    response = client.get("/api/v1/dossiers/status", {"code": "H12\0", "key": "\0"})
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"

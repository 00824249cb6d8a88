import pytest

from congso.catalog.search import SearchIndex, canonical, tokens

NAMES = {
    1: ("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch"),
    2: ("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch"),
    3: ("1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", "Hộ tịch"),
    4: ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch"),
    5: ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực"),
    6: ("1.004222", "Đăng ký thường trú", "Đăng ký, quản lý cư trú"),
    7: ("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch"),
    8: ("3.000001", "Cấp giấy phép kinh doanh karaoke", "Văn hóa, khai sinh đâu có ở đây"),
}


@pytest.fixture(scope="module")
def index():
    rows = [
        {
            "pk": pk,
            "code": code,
            "name": name,
            "field": field,
            "implementing_agency": "Ủy ban nhân dân cấp xã",
            "popularity": 0,
            "at_commune": True,
            "at_province": pk == 8,
            "online_level": "",
            "is_active": pk != 7 or True,
        }
        for pk, (code, name, field) in NAMES.items()
    ]
    return SearchIndex(rows)


def ranked(index, query, **filters):
    return [hit.pk for hit in index.search(query, filters=filters or None)]


def test_canonical_spelling():
    assert canonical("ky") == "ki"
    assert canonical("quy") == "qui"
    assert canonical("my") == "mi"
    assert canonical("huy") == "huy"  # uy is a vowel pair, not a final y
    assert canonical("tay") == "tay"
    assert tokens("Đăng KÝ khai sinh") == ["dang", "ki", "khai", "sinh"]
    assert tokens("đăng kí") == tokens("dang ky")


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "Đăng ký khai sinh", "khai sinh", "đăng kí khai sinh", "KHAI SINH"]
)
def test_birth_registration_comes_first(index, query):
    assert ranked(index, query)[0] == 1


@pytest.mark.parametrize("query", ["khai snh", "dang ky khia sinh", "khai sinhh", "đang kí khai xinh"])
def test_typos_still_find_it(index, query):
    assert ranked(index, query)[0] == 1


def test_name_matches_rank_above_matches_elsewhere(index):
    # Procedure 8 mentions "khai sinh" only in its field.
    results = ranked(index, "khai sinh")
    assert results.index(8) > results.index(3)
    assert set(results) >= {1, 2, 3, 8}
    assert 4 not in results


def test_every_word_must_match(index):
    assert ranked(index, "ket hon") == [4]
    assert ranked(index, "chung thuc chu ky") == [5]


def test_code_search(index):
    assert ranked(index, "1.004222") == [6]


def test_filters_apply(index):
    assert ranked(index, "khai sinh", at_province=True) == [8]


def test_nothing_found(index):
    assert ranked(index, "zzzz qqqq") == []
    assert ranked(index, "   ") == []


@pytest.mark.django_db
def test_on_the_real_catalogue():
    """The "Done when" of the catalogue, on every real procedure with the curated ones structured."""
    from congso.catalog.curated import procedures_load_curated
    from congso.catalog.importers import procedures_load_shared
    from congso.catalog.models import Procedure
    from congso.catalog.search import procedure_search

    procedures_load_shared()
    procedures_load_curated()
    assert Procedure.objects.count() > 2800

    def first(query):
        hits = procedure_search(query)
        return Procedure.objects.get(pk=hits[0].pk).code if hits else None

    spellings = [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "khai sinh",
        "đăng kí khai sinh",
        "khai snh",
        "khia sinh",
    ]
    for query in spellings:
        assert first(query) == "1.001193", query
    assert first("dang ky lai khai sinh") == "1.004884"
    assert first("ket hon") == "1.000894"
    assert first("dang ky khai tu") == "1.000656"
    assert first("chung thuc chu ky") == "2.000884"
    assert first("chứng thực bản sao") == "2.000815"
    assert first("dang ky thuong tru") == "1.004222"
    assert first("1.004194") == "1.004194"

import pytest

from congso.payments.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (105, "Một trăm linh năm đồng"),
        (8000, "Tám nghìn đồng"),
        (120000, "Một trăm hai mươi nghìn đồng"),
        (1001, "Một nghìn không trăm linh một đồng"),
        (1250000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2000000000, "Hai tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words

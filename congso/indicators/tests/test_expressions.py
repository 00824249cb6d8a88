import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congso.indicators.expressions import ExpressionError, evaluate, parse, references


def value(text, **values):
    return evaluate(parse(text), values)


def test_references_numbers_and_operators():
    assert value("#{A} + #{B}", A=2, B=3) == 5
    assert value("(#{A} + #{B}) × 2 ÷ 4", A=2, B=2) == 2
    assert value("#{A} − -#{B} * 2", A=1, B=3) == 7
    assert (
        value(
            "100",
        )
        == 100
    )
    assert references(parse("#{a_1} / (#{B} + 1)")) == {"A_1", "B"}


def test_missing_values_and_division_by_zero():
    assert value("#{A} + #{B}", A=4) == 4  # one missing counts as 0
    assert value("#{A} + #{B}") is None  # all missing: no value
    assert value("#{A} / #{B}", A=1, B=0) is None


@pytest.mark.parametrize(
    "text",
    ["", "   ", "#{A} +", "(#{A}", "#{A})", "#{A} #{B}", "__import__('os')", "#{A} ** 2", "1e5", "#{}",
     "#{A-B}", "a + b", "#{A}; 1", "lambda: 1", "[1]", "((((" * 30 + "1" + "))))" * 30, "x" * 3000],
)  # fmt: skip
def test_anything_else_is_a_validation_error(text):
    with pytest.raises(ExpressionError) as error:
        parse(text)
    assert error.value.message  # a Vietnamese explanation


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("#{}()+-*/×÷−AB_0129. ,x'\"")), max_size=60) | st.text(max_size=60)
)
def test_parser_never_raises_anything_but_a_validation_error(text):
    try:
        tree = parse(text)
    except ExpressionError:
        return
    evaluate(tree, {"A": 1.0, "B": 0.0})

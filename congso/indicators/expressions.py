"""Indicator formulas: element references ``#{CODE}``, numbers, + − × ÷ and parentheses. Parsed by a tiny
recursive-descent parser into a tree and evaluated on a dict of values — never ``eval``."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError

MAX_LENGTH = 2000
MAX_DEPTH = 40
_CODE = re.compile(r"#\{([A-Za-z][A-Za-z0-9_]{0,49})\}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_OPERATORS = {"+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/", "(": "(", ")": ")"}


class ExpressionError(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="bad_expression")


@dataclass(frozen=True)
class Node:
    op: str  # "num", "ref", "neg", "+", "-", "*", "/"
    value: float | str | None = None
    left: "Node | None" = None
    right: "Node | None" = None


def _tokens(text: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "#":
            m = _CODE.match(text, i)
            if not m:
                raise ExpressionError(_("Write an element reference as #{CODE} (letters, digits, _)."))
            out.append(("ref", m[1].upper()))
            i = m.end()
        elif ch.isascii() and ch.isdigit():
            m = _NUMBER.match(text, i)
            out.append(("num", m[0]))
            i = m.end()
        elif ch in _OPERATORS:
            out.append(("op", _OPERATORS[ch]))
            i += 1
        else:
            raise ExpressionError(
                _("“%(char)s” is not allowed in a formula: use #{CODE}, numbers, + − × ÷ and parentheses.")
                % {"char": ch}
            )
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def expr(self, depth):
        if depth > MAX_DEPTH:
            raise ExpressionError(_("The formula is nested too deeply."))
        node = self.term(depth)
        while self.peek() in (("op", "+"), ("op", "-")):
            node = Node(self.take()[1], left=node, right=self.term(depth))
        return node

    def term(self, depth):
        node = self.factor(depth)
        while self.peek() in (("op", "*"), ("op", "/")):
            node = Node(self.take()[1], left=node, right=self.factor(depth))
        return node

    def factor(self, depth):
        kind, value = self.take()
        if kind == "num":
            return Node("num", float(value))
        if kind == "ref":
            return Node("ref", value)
        if (kind, value) == ("op", "-"):
            return Node("neg", left=self.factor(depth + 1))
        if (kind, value) == ("op", "("):
            node = self.expr(depth + 1)
            if self.take() != ("op", ")"):
                raise ExpressionError(_("A parenthesis is not closed."))
            return node
        raise ExpressionError(_("The formula is incomplete or has two operators in a row."))


def parse(text: str) -> Node:
    """The tree of ``text``; raises ExpressionError (a validation error, in Vietnamese) for anything else."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(_("The formula is empty."))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(_("The formula is too long."))
    parser = _Parser(_tokens(text))
    node = parser.expr(0)
    if parser.i != len(parser.tokens):
        raise ExpressionError(_("Unexpected text after the end of the formula."))
    return node


def references(node: Node) -> set[str]:
    if node.op == "ref":
        return {node.value}
    out = set()
    for child in (node.left, node.right):
        if child is not None:
            out |= references(child)
    return out


def evaluate(node: Node, values: dict[str, float]) -> float | None:
    """The value of the tree; a missing element counts as 0 unless every element is missing (then None);
    a division by zero gives None."""
    refs = references(node)
    if refs and all(values.get(code) is None for code in refs):
        return None
    return _eval(node, values)


def _eval(node: Node, values) -> float | None:
    if node.op == "num":
        return node.value
    if node.op == "ref":
        return values.get(node.value) or 0.0
    if node.op == "neg":
        inner = _eval(node.left, values)
        return None if inner is None else -inner
    a, b = _eval(node.left, values), _eval(node.right, values)
    if a is None or b is None:
        return None
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    return None if b == 0 else a / b

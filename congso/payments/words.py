"""Amounts in Vietnamese words, as a receipt writes them ("Số tiền bằng chữ")."""

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu"]


def _triple(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; ``full`` when a higher group precedes (so "không trăm linh năm")."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    groups = [n // 1_000_000 % 1000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group:
            words += _triple(group, full=full or bool(words))
            scale = _SCALES[2 - index]
            if scale:
                words.append(scale)
    return words


def number_in_words(n: int) -> str:
    if n < 0:
        raise ValueError("negative amount")
    if n == 0:
        return "không"
    words: list[str] = []
    billions, rest = divmod(n, 1_000_000_000)
    if billions:
        words += [*number_in_words(billions).split(), "tỷ"]
    if rest:
        words += _below_billion(rest, full=bool(billions))
    return " ".join(words)


def amount_in_words(amount_vnd: int) -> str:
    """ "Một trăm hai mươi nghìn đồng" for 120000."""
    text = f"{number_in_words(amount_vnd)} đồng"
    return text[0].upper() + text[1:]

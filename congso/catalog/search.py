"""Procedure search that understands Vietnamese as people type it.

Case and diacritics are ignored ("dang ky khai sinh" = "Đăng ký khai sinh"), the i/y spelling variants are one
("kí" = "ký"), and a word with one wrong, missing, extra or swapped letter still matches ("khai snh"). Name
matches rank above matches elsewhere (field, agency, code); a whole phrase in the name ranks higher still;
among equals, shorter names (the general procedure before its special cases) and popular procedures come
first.

The index lives in memory, one per process (about 3,000 procedures take a few MB and well under a second to
build), and is rebuilt when the catalogue changes. A search is a few dictionary lookups: milliseconds.
"""

import math
import re
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max

from congso.core.text import fold

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_CONSONANT_Y = re.compile(r"^(qu|[bcdghklmnprstvx]+)y$")
# Words that open most names and say nothing ("Thủ tục …").
_NOISE_PREFIX = ("thu", "tuc")


def canonical(word: str) -> str:
    """One spelling per word: a final y after consonants is written i (ký/kí, lý/lí, mỹ/mĩ, quý/quí)."""
    return _CONSONANT_Y.sub(r"\1i", word)


def tokens(text: str) -> list[str]:
    return [canonical(t) for t in _TOKEN.findall(fold(text))]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass
class _Entry:
    pk: int
    name: list[str]
    name_set: frozenset[str]
    extra: frozenset[str]
    core_length: int
    popularity: int
    filters: dict = field(default_factory=dict)


@dataclass
class Hit:
    pk: int
    score: float


class SearchIndex:
    def __init__(self, rows):
        self.entries: list[_Entry] = []
        self.by_token: dict[str, set[int]] = {}
        self.deletes: dict[str, set[str]] = {}
        for row in rows:
            name = tokens(row["name"])
            core = name[2:] if tuple(name[:2]) == _NOISE_PREFIX else name
            extra = frozenset(tokens(f"{row['code']} {row['field']} {row['implementing_agency']}")) | {
                row["code"]
            }
            entry = _Entry(
                pk=row["pk"],
                name=name,
                name_set=frozenset(name),
                extra=extra,
                core_length=len(core),
                popularity=row["popularity"],
                filters={
                    k: row[k] for k in ("field", "at_commune", "at_province", "online_level", "is_active")
                },
            )
            index = len(self.entries)
            self.entries.append(entry)
            for token in entry.name_set | entry.extra:
                self.by_token.setdefault(token, set()).add(index)
        for token in self.by_token:
            if len(token) >= 4:
                for variant in _deletions(token):
                    self.deletes.setdefault(variant, set()).add(token)

    def similar(self, word: str) -> set[str]:
        """Indexed words within one edit (deletion, insertion, substitution, most transpositions)."""
        if len(word) < 3:
            return set()
        found = set(self.deletes.get(word, ()))  # the query lacks a letter
        variants = _deletions(word)
        for variant in variants:
            if variant in self.by_token:  # the query has one letter too many
                found.add(variant)
            found |= self.deletes.get(variant, set())  # one letter differs (or two are swapped)
        found.discard(word)
        return found

    def search(self, query: str, *, filters: dict | None = None, limit: int | None = None) -> list[Hit]:
        words = list(dict.fromkeys(tokens(query)))
        if not words:
            return []
        # First pass: known words as typed, typo tolerance only for words the catalogue does not know.
        expansions = {w: (w, set()) if w in self.by_token else (None, self.similar(w)) for w in words}
        hits, complete = self._collect(words, expansions, filters)
        if not complete:
            # Second pass: a typo may have produced another real word ("khai tinh" for "khai sinh").
            expansions = {w: (w if w in self.by_token else None, self.similar(w)) for w in words}
            second, complete = self._collect(words, expansions, filters)
            if complete or not hits:
                hits = second
        hits.sort(key=lambda hit: (-hit.score, hit.pk))
        return hits[:limit] if limit else hits

    def _collect(self, words: list[str], expansions: dict, filters: dict | None) -> tuple[list[Hit], bool]:
        """Candidates and their scores; ``complete`` when every word matched somewhere."""
        candidates: dict[int, int] = {}
        for exact, fuzzy in expansions.values():
            matched: set[int] = set()
            for token in ([exact] if exact else []) + list(fuzzy):
                matched |= self.by_token.get(token, set())
            for index in matched:
                candidates[index] = candidates.get(index, 0) + 1
        # Every word must match; if nothing does, accept results matching most of them.
        need = len(words)
        complete = any(count == need for count in candidates.values())
        if not complete:
            need = max(math.ceil(len(words) / 2), max(candidates.values(), default=0))
        hits = []
        for index, count in candidates.items():
            if count < need:
                continue
            entry = self.entries[index]
            if filters and any(entry.filters.get(k) != v for k, v in filters.items()):
                continue
            hits.append(Hit(entry.pk, self._score(entry, words, expansions)))
        return hits, complete and bool(hits)

    def _score(self, entry: _Entry, words: list[str], expansions: dict) -> float:
        score = 0.0
        matched_in_name = []
        for word in words:
            exact, fuzzy = expansions[word]
            if exact and exact in entry.name_set:
                score += 1.0
                matched_in_name.append(exact)
            elif fuzzy & entry.name_set:
                score += 0.7
                matched_in_name.append(next(iter(sorted(fuzzy & entry.name_set))))
            elif exact and exact in entry.extra:
                score += 0.4
            elif fuzzy & entry.extra:
                score += 0.25
        # The query's words in the same order, side by side, in the name.
        if len(matched_in_name) == len(words) > 1 and _contains(entry.name, matched_in_name):
            score += 1.5
        # The general procedure before its special cases: fewer unmatched words is better, with diminishing
        # weight so that a long official name is not buried.
        score -= 0.25 * math.log1p(max(entry.core_length - len(matched_in_name), 0))
        # What people ask for most, a nudge that never outweighs a better match of the name.
        return score + 0.3 * min(entry.popularity, 100) / 100


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


_lock = threading.Lock()
_cache: dict = {"stamp": None, "index": None, "checked_at": 0.0}


def get_index() -> SearchIndex:
    """The process's index, rebuilt when procedures were added, removed or edited since it was built.

    Whether the catalogue changed is asked of the database at most every ``CONGSO_SEARCH_FRESHNESS``
    seconds (a count and a max over the table cost more than the search itself).
    """
    from congso.catalog.models import Procedure

    now = time.monotonic()
    if _cache["index"] is not None and now - _cache["checked_at"] < settings.CONGSO_SEARCH_FRESHNESS:
        return _cache["index"]
    stamp = tuple(Procedure.objects.aggregate(n=Count("pk"), last=Max("updated_at")).values())
    if _cache["stamp"] != stamp:
        with _lock:
            if _cache["stamp"] != stamp:
                rows = Procedure.objects.values(
                    "pk", "code", "name", "field", "implementing_agency", "popularity",
                    "at_commune", "at_province", "online_level", "is_active",
                )  # fmt: skip
                _cache["index"] = SearchIndex(rows)
                _cache["stamp"] = stamp
    _cache["checked_at"] = now
    return _cache["index"]


def procedure_search(query: str, *, filters: dict | None = None, limit: int | None = None) -> list[Hit]:
    return get_index().search(query, filters={"is_active": True, **(filters or {})}, limit=limit)

"""Park names in a document: a carrier suffix (产业园, 基地, 先导区, 链谷 …, data/park_suffixes.csv)
and the name that runs left from it to a boundary (punctuation, or a word such as 位于, 的, 揭牌,
data/park_words.yaml). The search runs on normalized text (simplified, NFKC), so a traditional
repost reads like the original, and every span maps back to the document as written.

Only names that carry 区块链 or 链 are kept here; whether a name is specific enough to be a park
(a place, a distinctive core) is decided when it is resolved.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline import rules
from pipeline.text.normalize import Normalized, normalize
from pipeline.text.patterns import alt
from pipeline.text.places import Location, find_places, locate
from pipeline.text.sentences import sentences

MAX_NAME = 40          # characters a name may run left of its suffix
_OPEN, _CLOSE = "(（[【「『“‘", ")）]】」』”’"
_NAME_PUNCT = "·•・+-&" + _OPEN + _CLOSE + "\"'"
TYPES = {"park": "park", "nickname": "park", "incubator": "incubator", "base": "base", "zone": "zone",
         "pilot": "pilot"}


@functools.cache
def words() -> dict:
    return rules.document("park_words.yaml")


@functools.cache
def _suffixes() -> dict[str, dict]:
    return {r["suffix"]: r for r in rules.table("park_suffixes.csv")}


@functools.cache
def _suffix_re() -> re.Pattern:
    return re.compile(alt(_suffixes()))


@functools.cache
def _stop_re(head: bool = False) -> re.Pattern:
    return re.compile(alt(words()["name_stops"] + (words()["head_stops"] if head else [])))


@functools.cache
def _not_chain_re() -> re.Pattern:
    return re.compile(alt(words()["not_chain"]))


def _name_char(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or (c.isascii() and c.isalnum()) \
        or c in _NAME_PUNCT


def _version_dot(t: str, i: int) -> bool:
    """The dot of Web3.0 (between an ASCII letter or digit and a digit), not of list numbering (2.)."""
    return t[i] == "." and 0 < i < len(t) - 1 and t[i - 1].isascii() and t[i - 1].isalnum() and t[i + 1].isdigit() \
        and i >= 2 and t[i - 2].isascii() and t[i - 2].isalpha()


@dataclass(frozen=True)
class NameSpan:
    """A park name found in normalized text: [start, end) there, its suffix and what it names."""
    start: int
    end: int
    name: str
    suffix: str
    type: str
    weight: int


def _walk_left(t: str, i: int) -> int:
    """The leftmost name character before i: brackets only when they close inside the name."""
    j, depth = i, 0
    while j > 0 and i - j < MAX_NAME and (_name_char(t[j - 1]) or _version_dot(t, j - 1)):
        c = t[j - 1]
        if c in _CLOSE and c not in "”’":
            depth += 1
        elif c in _OPEN and c not in "“‘":
            if depth == 0:
                break
            depth -= 1
        j -= 1
    return j


def _cut_stops(t: str, left: int, head_end: int, suffix_start: int) -> int:
    """Move the left edge past the last stop word (位于…的, 为, 揭牌 …) before the suffix, or of the
    softer ones (与, 发展 …) before the head; a stop word inside a place (和平区) or a quoted
    nickname (“链岛”) does not count, one that only runs into a place does (认定南昌…: not 定南)."""
    guard = [(p.start + left, p.end + left) for p in find_places(t[left:suffix_start])]
    guard += [(m.start() + left, m.end() + left) for m in re.finditer(r"“[^”]{1,12}”", t[left:suffix_start])]
    new = left
    # another park's whole name and a connector: 西宁区块链产业园与生物科技产业园区
    for m in re.finditer(rf"(?:{alt(_suffixes())})(?:与|和|及|、)", t[left:suffix_start]):
        new = max(new, left + m.end())
    for pattern, end in ((_stop_re(), suffix_start), (_stop_re(head=True), head_end)):
        for m in pattern.finditer(t, left, end):
            if not any(a <= m.start() and m.end() <= b for a, b in guard):
                new = max(new, m.end())
    return new


def _strip_heads(t: str, left: int, head_end: int) -> int:
    heads = sorted(words()["generic_heads"], key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for h in heads:
            if t.startswith(h, left) and left + len(h) <= head_end:
                left, changed = left + len(h), True
    # a tag, a count or a date before a name is not part of it: 【转载】…, 10家“链谷”, 3月12日滨湖链创产业园
    m = re.match(r"【[^】]{0,8}】|[\d一二三四五六七八九十两]*[家个批所]|(?:\d{2,4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?",
                 t[left:head_end])
    if m and not any(p.start == 0 for p in find_places(t[left:head_end])):   # 个旧市 is a place
        left += m.end()
    while left < head_end and (t[left] in _CLOSE + "·•・+-" or (t[left] in "“‘" and "”" not in t[left:head_end + 12])):
        left += 1
    return left


def _from_first_place(t: str, left: int, head_end: int) -> int:
    """Text before the first place of a name is not part of it, but for 中国 / 全国 / 国家."""
    places = find_places(t[left:head_end])
    if not places:
        return left
    first = min(p.start for p in places) + left
    before = t[left:first]
    # 中国（萧山）区块链创新创业基地: the prefix may open a bracket around the place
    return left if not before or before.rstrip(_OPEN) in words()["place_prefixes"] else first


def _head_end(t: str, left: int, suffix_start: int) -> int:
    """Where the name's head (place and brand) ends: at the 区块链 or quoted nickname nearest the
    suffix, or at the suffix."""
    cands = [i for i in (t.rfind("区块链", left, suffix_start + 3), t.rfind("“", left, suffix_start)) if i >= 0]
    cands = [min(i, suffix_start) for i in cands]
    return max(cands) if cands else suffix_start


def _right_edge(t: str, end: int) -> int:
    """A name may end with a closing quote (苏州高铁新城“链谷”) or a bracketed place
    (国家区块链创新应用综合性试点（合肥市）)."""
    if end < len(t) and t[end] in "”’" and "“" in t[max(0, end - 12):end]:
        return end + 1
    m = re.match(r"[（(]([\u4e00-\u9fff]{2,10})[）)]", t[end:end + 13])
    if m and find_places(m.group(1)):
        return end + m.end()
    return end


def _is_chain(name: str) -> bool:
    """Does the name carry 区块链, or a 链 that is not part of 供应链, 产业链 …?"""
    if "区块链" in name:
        return True
    return "链" in _not_chain_re().sub("", name)


def _swallowed(t: str, m: re.Match) -> bool:
    """A suffix that is the tail of a longer word (开园 ends in 园): not a name's end."""
    return any(len(w) > len(m.group(0)) and t.startswith(w, m.end() - len(w)) for w in words()["name_stops"])


def _left_edge(t: str, suffix_start: int) -> int:
    left = _walk_left(t, suffix_start)
    head = _head_end(t, left, suffix_start)
    left = _cut_stops(t, left, head, suffix_start)
    return _strip_heads(t, _from_first_place(t, left, head), head)


def _all_spans(t: str) -> list[tuple[NameSpan, bool]]:
    """Every carrier name in one normalized sentence, with whether it is a blockchain park's."""
    found = []
    for m in _suffix_re().finditer(t):
        if _swallowed(t, m):
            continue
        row = _suffixes()[m.group(0)]
        left, end = _left_edge(t, m.start()), _right_edge(t, m.end())
        name = t[left:end]
        if any(name.endswith(e) for e in words()["not_park_endings"]) or \
                t.startswith(tuple(words()["organisation_after"]), end):
            continue
        chain = _is_chain(name) and (int(row["weight"]) >= 2 or "区块链" in name or "区块链" in t
                                     or bool(re.search("“[^”]*链[^”]*”", name)))
        found.append((NameSpan(left, end, name, row["suffix"], TYPES[row["kind"]], int(row["weight"])), chain))
    return found


def name_spans(t: str) -> list[NameSpan]:
    """Every blockchain park name in one normalized sentence t, longest first where two overlap.
    A weak suffix (园区, 基地, 中心 …) needs 区块链 in the name or the sentence, or a quoted nickname."""
    return _longest([sp for sp, chain in _all_spans(t) if chain])


def other_spans(t: str) -> list[NameSpan]:
    """Names of parks that are not blockchain parks (深港国际人工智能产业园): a figure after one
    belongs to it. Only strong suffixes (产业园, 科技园, 软件园 …), not 园区 (the topic park)."""
    return _longest([sp for sp, chain in _all_spans(t) if not chain and sp.weight >= 2 and len(sp.name) > len(sp.suffix)])


def _longest(spans: list[NameSpan]) -> list[NameSpan]:
    out: list[NameSpan] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(s.end <= o.start or s.start >= o.end for o in out):
            out.append(s)
    return sorted(out, key=lambda s: s.start)


def location_of(name: str) -> Location:
    return locate(find_places(name))


def original(n: Normalized, span: NameSpan) -> tuple[int, int, str]:
    a, b = n.span(span.start, span.end)
    return a, b, n.original[a:b]


def _segments(text: str) -> list[tuple[int, int]]:
    out = []
    for s0, s1 in sentences(text):
        start = s0
        for m in re.finditer(r"[ \t\u3000]+", text[s0:s1]):
            if m.start() + s0 > start:
                out.append((start, m.start() + s0))
            start = m.end() + s0
        if start < s1:
            out.append((start, s1))
    return out


@dataclass(frozen=True)
class Name:
    """A park name as written: its span in the document text and the normalized form."""
    start: int
    end: int
    text: str
    norm: str
    suffix: str
    type: str
    weight: int
    sentence: tuple[int, int]


def find_names(text: str, *, others: bool = False) -> list[Name]:
    """Every blockchain park name of a document (others=True: every other park's name), segment by
    segment: a name never runs across a line, a full stop or a space (titles use spaces as
    separators). `sentence` is the sentence a name stands in."""
    out = []
    sents = sentences(text)
    for s0, s1 in _segments(text):
        n = normalize(text[s0:s1])
        sentence = next((s for s in sents if s[0] <= s0 < s[1]), (s0, s1))
        for sp in (other_spans if others else name_spans)(n.text):
            a, b = n.span(sp.start, sp.end)
            out.append(Name(a + s0, b + s0, text[a + s0:b + s0], sp.name, sp.suffix, sp.type, sp.weight, sentence))
    return out


def content_end(text: str) -> int:
    """Where the article ends: before a related-links list or a footer (相关阅读, 版权所有 …)
    that starts a line; names and figures after it are not the document's."""
    ends = [m.start() for m in re.finditer(rf"\n\s*(?:{alt(words()['tail_markers'])})", text)]
    return min(ends, default=len(text))

"""How park names are written: name keys, spelling variants, leading places, similarity.

Rules (stripped characters, rewrites, generic words) are data: data/names.yaml.
"""
from __future__ import annotations

import functools
import re

from pipeline import rules

from .normalize import normalize_text
from .places import find_places, finest, loc_norm  # noqa: F401  (names and places share loc_norm)


@functools.cache
def name_rules() -> dict:
    return rules.document("names.yaml")


def name_key(name: str) -> str:
    """Normalized form of a name: NFKC, simplified, no spaces/quotes/dots, fixed typos."""
    s = normalize_text(name or "").lower()
    r = name_rules()
    s = "".join(c for c in s if c not in r["strip_chars"] and not c.isspace())
    for a, b in r["rewrites"]:
        s = s.replace(a, b)
    s = s.replace("[", "(").replace("]", ")").replace("【", "(").replace("】", ")")
    return s


def is_distinctive(key: str) -> bool:
    """Something is left after removing generic words (高新园区 → nothing)."""
    rest = key
    for w in sorted(name_rules()["generic_words"], key=len, reverse=True):
        rest = rest.replace(w, "")
    rest = re.sub(r"[()+\-\d]", "", rest)
    return len(rest) >= 2 or bool(re.search(r"[a-z]{2,}", rest))


_PAREN = re.compile(r"\(([^()]*)\)")


def variants(name: str) -> list[str]:
    """Keys under which a spelling is known: the whole name, the name without its
    brackets, the part outside a trailing bracket, and the bracketed part when it is
    a name of its own (黄埔链谷, 重庆市数字经济区块链产业园, APBC)."""
    k = name_key(name)
    out = [k]

    def add(v: str) -> None:
        if v and v not in out:
            out.append(v)

    for c in name_rules()["connectors"]:
        if c in k:
            add(k.replace(c, ""))
    add(k.replace("(", "").replace(")", ""))
    m = re.search(r"\(([^()]*)\)$", k)
    if m:
        outer = k[:m.start()]
        add(_PAREN.sub(lambda mm: mm.group(1), outer))
        inner = m.group(1)
        if is_distinctive(inner):
            add(inner)
    return out


def strip_places(key: str) -> tuple[str, list]:
    """Drop leading place names and national prefixes: 湖南星沙区块链产业园 → 星沙区块链产业园."""
    places = []
    changed = True
    while changed:
        changed = False
        for p in name_rules()["prefixes"]:
            if key.startswith(p) and is_distinctive(key[len(p):]):
                key, changed = key[len(p):], True
        found = [p for p in find_places(key) if p.start == 0]
        if found and len(key) > found[0].end + 2:
            rest = key[found[0].end:]
            # keep 市/省 that the gazetteer short left behind: 娄底市 → 娄底 + 市
            if rest[:1] in "市省":
                rest = rest[1:]
            if not is_distinctive(rest):
                break
            places.append(found)
            key, changed = rest, True
    return key, places


def bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def placed_key(name: str) -> tuple[str, str, str] | None:
    """(level, place, carrier) for a name that says nothing but where it is and what kind of
    carrier it is (曹妃甸区块链产业园 → district 曹妃甸区, 园); None for a name with words of its
    own (海西区块链创新产业园 has 海西) or with a zone the gazetteer does not know (长沙高新区…)."""
    text = normalize_text(name or "")
    places = find_places(text)
    anchor = finest(places)
    if anchor is None:
        return None
    rest = text
    for p in sorted(places, key=lambda p: -p.start):
        rest = rest[:p.start] + rest[p.end:]
    rest = name_key(rest)
    r = name_rules()
    if is_distinctive(rest) or any(z in rest for z in r["zone_words"]):
        return None
    end = next((v for k, v in sorted(r["carrier_ends"].items(), key=lambda kv: -len(kv[0])) if rest.endswith(k)),
               None)
    return (anchor[0], anchor[1], end) if end else None

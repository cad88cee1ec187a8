"""find_policies: the blockchain policies one document issues, drafts, interprets or reports.

Corpus rule 10 (pipeline/evaluate/corpus/facts/README.md). A candidate title comes from the
page title (its 《》, or the title without 关于印发…的通知-style wrappers) or from a 《…》 in the
body that an issuing verb stands next to (印发《…》, 《…》…现印发给你们); it is a blockchain
policy when it names blockchain and ends like a policy (若干措施, 实施方案 …). Every word list
is data: data/doc_words.yaml and data/policy_words.yaml. Numbers and dates come from
find_quantities only.

The text helpers at the top (View, Line, places, regions) are shared with funds.py. Work is
done line by line on normalised text (NFKC, simplified), because a page's lines carry meaning
(a signature is an issuer line over a date line) and normalize() joins lines; spans map back to
`document_text(title, body)`.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from pipeline import rules
from pipeline.text.docnumber import parse_doc_number
from pipeline.text.normalize import Normalized, fold, normalize, normalize_text
from pipeline.text.patterns import alt
from pipeline.text.places import Place, find_places, loc_norm

from .quantities import find_quantities
from .quantity import Quantity
from .records import Measure, PolicyRecord, document_text, snippet

LEVEL_ORDER = {"province": 0, "city": 1, "zone": 2, "district": 3}


# ---------------------------------------------------------------- shared text helpers

@functools.cache
def doc_words() -> dict:
    return rules.document("doc_words.yaml")


@functools.cache
def policy_words() -> dict:
    return rules.document("policy_words.yaml")


@dataclass(frozen=True)
class LQ:
    """A quantity of one line, with its span in the line's normalised text."""
    q: Quantity
    a: int
    b: int


@dataclass
class Line:
    index: int
    start: int                 # offset of the line in the document text
    raw: str                   # the line as written
    n: Normalized
    quantities: list[LQ] = field(default_factory=list)

    @property
    def t(self) -> str:
        return self.n.text

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Document offsets of the normalised slice t[a:b]."""
        s, e = self.n.span(a, b)
        return self.start + s, self.start + e

    def pos(self, raw_offset: int) -> int:
        """Normalised position of an offset into raw."""
        return bisect.bisect_left(self.n.starts, raw_offset)


@dataclass
class View:
    text: str                  # document_text(title, body)
    lines: list[Line]          # line 0 is the title
    content_end: int           # lines from here on are page furniture (相关阅读, 责任编辑 …)

    @property
    def title(self) -> Line:
        return self.lines[0]

    def body(self) -> list[Line]:
        return self.lines[1:self.content_end]

    def content(self) -> list[Line]:
        return self.lines[:self.content_end]


def make_view(title: str | None, body: str | None, published=None) -> View:
    text = document_text(title, body)
    lines, pos = [], 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(Line(i, pos, raw, normalize(raw)))
        pos += len(raw) + 1
    tails = doc_words()["tail_markers"]
    end = next((ln.index for ln in lines[1:] if ln.t.startswith(tuple(tails))), len(lines))
    view = View(text, lines, end)
    for ln in view.content():
        if ln.t:
            ln.quantities = [LQ(q, ln.pos(q.start), ln.pos(q.end))
                             for q in find_quantities(ln.raw, published=published)]
    return view


def mentions_blockchain(text: str) -> bool:
    return any(w in text for w in doc_words()["blockchain"])


def may_mention_blockchain(title: str | None, body: str | None) -> bool:
    """A fast first look (folded text, no quantities): most pages can be dropped here."""
    folded = fold(document_text(title, body))
    return any(fold(w) in folded for w in doc_words()["blockchain"])


def view_mentions_blockchain(view: View) -> bool:
    return any(mentions_blockchain(ln.t) for ln in view.content())


@functools.lru_cache(maxsize=4)
def blockchain_view(title: str, body: str, published=None) -> View | None:
    """The lines of a document that mentions blockchain, with their quantities; None otherwise.
    Cached: the policy and the fund readings of one document share one view (it is read-only)."""
    if not isinstance(title, str) and not isinstance(body, str):
        return None
    if not may_mention_blockchain(title, body):
        return None
    view = make_view(title, body, published)
    return view if view_mentions_blockchain(view) else None


def bounds(t: str, a: int, b: int, stops: str) -> tuple[int, int]:
    """The stretch of t around [a, b) between two stop characters."""
    left = max(t.rfind(c, 0, a) for c in stops) + 1
    right = min((i for i in (t.find(c, b) for c in stops) if i >= 0), default=len(t))
    return left, right


def clause(t: str, a: int, b: int | None = None) -> tuple[int, int]:
    return bounds(t, a, a if b is None else b, doc_words()["clause_ends"])


def sentence(t: str, a: int, b: int | None = None) -> tuple[int, int]:
    return bounds(t, a, a if b is None else b, doc_words()["sentence_ends"])


def segment(t: str, a: int, b: int | None = None) -> tuple[int, int]:
    return bounds(t, a, a if b is None else b, doc_words()["segment_ends"])


def simplified(raw: str) -> str:
    """raw with its CJK characters simplified (brackets and quotes stay as written)."""
    return "".join(normalize_text(c) if "\u3400" <= c <= "\u9fff" else c for c in raw)


def _resolve(rows: list[Place], known: list[Place]) -> Place | None:
    """One row for a spelling that names several divisions: the municipality (北京市 is a province
    and a city row), else the row whose city (or province) a known place confirms."""
    if len({r.province for r in rows}) == 1:
        prov = [r for r in rows if r.level == "province"]
        if prov or len({r.city for r in rows}) == 1:
            return (prov or rows)[0]
    same_city = [r for r in rows if any(k.city and k.city == r.city for k in known)]
    same_prov = [r for r in rows if any(k.province == r.province for k in known)]
    pick = same_city or same_prov
    return pick[0] if len({(r.province, r.city) for r in pick}) == 1 else None


def places(text: str, context: list[Place] = ()) -> list[Place]:
    """Places in text, one per position; a spelling shared by several divisions (西湖区) keeps the
    row that another place in the text or the context confirms, else it is dropped."""
    by_start: dict[int, list[Place]] = {}
    for p in find_places(text):
        by_start.setdefault(p.start, []).append(p)
    known = [rows[0] for rows in by_start.values() if len(rows) == 1] + list(context)
    out = []
    for rows in by_start.values():
        p = rows[0] if len(rows) == 1 else _resolve(rows, known)
        if p is not None:
            out.append(p)
    return out


def place_region(p: Place) -> str | None:
    """Short form of a place's city (or province when it has no city)."""
    if p.level == "province":
        return loc_norm(p.province) or None
    return loc_norm(p.city or p.province) or None


def quantities_in(line: Line, a: int, b: int, kind: str) -> list[LQ]:
    return [lq for lq in line.quantities if lq.q.kind == kind and a <= lq.a and lq.b <= b]


# ---------------------------------------------------------------- candidates

@dataclass
class Candidate:
    title: str                 # without 《》 and draft tails, CJK simplified
    key: str
    line: Line
    a: int                     # span of the title as written, in the line's normalised text
    b: int
    draft: bool                # the title as written carries a draft tail (征求意见稿)


@functools.cache
def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@functools.cache
def _draft_tail() -> re.Pattern:
    return re.compile(rf"\(?(?:{alt(policy_words()['draft_tails'])})\)?$")


def _core(title: str) -> str:
    """The title without bracketed tails ((2021—2023年), (试行))."""
    return re.sub(r"(?:\([^()]{1,20}\))+$", "", title)


def is_policy_title(t: str) -> bool:
    w = policy_words()
    if not 4 <= len(t) <= 100 or "。" in t or not mentions_blockchain(t):
        return False
    if any(x in t for x in w["not_policy"]):
        return False
    return _core(t).endswith(tuple(w["shapes"]))


def _candidate(line: Line, a: int, b: int) -> Candidate | None:
    t = line.t[a:b].strip("《》")
    a += line.t[a:b].find(t)
    b = a + len(t)
    m = _draft_tail().search(t)
    cut = b - (len(m.group(0)) if m else 0)
    if not is_policy_title(line.t[a:cut]):
        return None
    s, e = line.span(a, cut)
    title = simplified(line.raw[s - line.start:e - line.start])
    return Candidate(title, _key(title), line, a, b, bool(m))


def _key(title: str) -> str:
    return re.sub(r"[《》()“”\"]", "", fold(title))


def _is_prefix(s: str) -> bool:
    """The issuer before 关于 in a page title, or a forwarding one (省政府办公厅转发国务院办公厅)."""
    return is_org(s) or ("转发" in s and all(is_org(x) for x in s.split("转发")))


def is_org(s: str) -> bool:
    w = policy_words()["issuer"]
    return 3 <= len(s) <= 60 and bool(re.fullmatch(r"[\u4e00-\u9fff·]+", s)) and s.endswith(tuple(w["org_suffixes"]))


def _unwrap(t: str) -> tuple[int, int] | None:
    """Span of the policy title inside a page title without 《》."""
    w = policy_words()
    start = 0
    m = re.search("关于", t)
    if m and _is_prefix(t[:m.start()]):
        start = m.start()
    for p in w["wrappers"]:
        mm = _rx(p).match(t, start) if not p.startswith("^") else _rx(p).match(t[start:])
        if mm:
            off = start if p.startswith("^") else 0
            return mm.start("t") + off, mm.end("t") + off
    if start:
        return start, len(t)
    if any(x in t for x in w["headline_marks"] + w["news_verbs"]):
        return None
    return 0, len(t)


def _line_candidates(line: Line) -> list[Candidate]:
    """The policy titles of a title-like line: its 《》, else the line unwrapped."""
    refs = tuple(policy_words()["reference_before"])
    spans = [m.span(1) for m in re.finditer(r"《([^《》]+)》", line.t)]
    if any(line.t[:a - 1].endswith(refs) for a, _ in spans):
        return []
    if not spans:
        u = _unwrap(line.t)
        spans = [u] if u else []
    return [c for c in (_candidate(line, a, b) for a, b in spans) if c]


def _title_candidates(view: View) -> list[Candidate]:
    return _line_candidates(view.title)


def _standalone_candidates(view: View) -> list[Candidate]:
    """A page titled 政策文件 or 正文: the first body line that is a policy title by itself
    (the heading over the text)."""
    for line in view.body():
        if line.t and "《" not in line.t and len(line.t) <= 80:
            found = _line_candidates(line)
            if found:
                return found[:1]
    return []


def _issued_here(t: str, a: int, b: int) -> bool:
    """Does an issuing verb stand right before 《 (at a) or after 》 (at b) in the sentence?"""
    w = policy_words()
    before = t[max(0, a - 8):a]
    if before.endswith(tuple(w["issue_before"])):
        return True
    _, end = sentence(t, b)
    return any(x in t[b:end] for x in w["issue_after"])


def _body_candidates(view: View) -> list[Candidate]:
    out = []
    for line in view.body():
        prev_ok, prev_end = False, -1
        for m in re.finditer(r"《([^《》]+)》", line.t):
            chained = prev_ok and line.t[prev_end:m.start()] in ("、", "和", "及", "与", "以及")
            ok = chained or _issued_here(line.t, m.start(), m.end())
            c = _candidate(line, *m.span(1)) if ok else None
            if c:
                out.append(c)
            prev_ok, prev_end = ok, m.end()
    return out


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    seen, out = set(), []
    for c in cands:
        if c.key not in seen:
            seen.add(c.key)
            out.append(c)
    return out


def mentions_of(view: View, key: str) -> list[tuple[Line, int, int]]:
    """Every 《…》 in the body whose title is the policy's (with or without a draft tail)."""
    out = []
    for line in view.body():
        for m in re.finditer(r"《([^《》]+)》", line.t):
            inner = _draft_tail().sub("", m.group(1))
            if _key(inner) == key:
                out.append((line, m.start(), m.end()))
    return out


# ---------------------------------------------------------------- the document's context

@dataclass
class Context:
    status: str                        # the document's own status (draft | in_force | interpretation)
    signature: tuple[str, str] | None  # (first issuer, ISO date) signed under a notice
    title_issuer: str | None           # 广西壮族自治区人民政府办公厅 of …关于印发…的通知
    meta: dict
    published: str | None
    places: list[Place]                # places of the title, then the body, for short issuers


def _status(view: View) -> str:
    w = policy_words()["status"]
    t = view.title.t
    if any(x in t for x in w["draft_title"]):
        return "draft"
    body = "".join(ln.t for ln in view.body())
    if any(x in t for x in w["interpretation_title"]) or any(x in body for x in w["interpretation_body"]):
        return "interpretation"
    return "in_force"


def _date_of_line(line: Line) -> str | None:
    """The ISO date when the whole line is one exact day (2021年5月28日 under a signature)."""
    ds = [lq for lq in line.quantities if lq.q.kind == "date"]
    if len(ds) == 1 and ds[0].q.precision == "day" and ds[0].q.qualifier == "exact" \
            and ds[0].a == 0 and ds[0].b >= len(line.t):
        return ds[0].q.value
    return None


def _signature(view: View) -> tuple[str, str] | None:
    """The first issuer line over a date line: 工业和信息化部　国家发展改革委 / 2025年7月15日.
    Joint issuers are separated by spaces; the first one is the issuer."""
    body = [ln for ln in view.body() if ln.t]
    for line, nxt in zip(body, body[1:]):
        parts = line.raw.split()
        if parts and all(is_org(normalize_text(p)) for p in parts):
            date = _date_of_line(nxt)
            if date:
                return simplified(parts[0]), date
    return None


def _title_issuer(view: View) -> str | None:
    line = view.title
    m = re.search("关于", line.t)
    if not m or not _is_prefix(line.t[:m.start()]):
        return None
    # who forwards a document is its first issuer here (省政府办公厅转发…)
    s, e = line.span(0, line.t.find("转发", 0, m.start()) if "转发" in line.t[:m.start()] else m.start())
    parts = view.text[s:e].split()
    return simplified(parts[0]) if parts else None


def _context(view: View, meta: dict | None, published) -> Context:
    ctx_places = []
    for line in view.content():
        ctx_places.extend(places(line.t))
    pub = str(published)[:10] if published else None
    return Context(_status(view), _signature(view), _title_issuer(view), meta or {}, pub, ctx_places)


# ---------------------------------------------------------------- issuer, level, region

def _expand(org: str, context: list[Place]) -> str:
    """市政府办公室 → 无锡市人民政府办公室: spell out 政府, then name the place a bare level word
    stands for, from the policy title or the document."""
    w = policy_words()["issuer"]
    for a, b in w["rewrites"]:
        if a in org and b not in org:
            org = org.replace(a, b)
    if find_places(org):
        return org
    for prefix, level in sorted(w["bare_prefixes"].items(), key=lambda kv: -len(kv[0])):
        if not org.startswith(prefix):
            continue
        for p in context:
            full = {"province": p.province,
                    "city": p.city if p.level in ("city", "district", "zone") else "",
                    "district": p.name if p.level == "district" else ""}[level]
            if full:
                return full + org[len(prefix):]
        break
    return org


def _clean_org(s: str) -> str | None:
    w = policy_words()["issuer"]
    changed = True
    while changed:
        changed = False
        for x in w["leading_words"]:
            if s.startswith(x):
                s, changed = s[len(x):], True
        for x in w["trailing_words"]:
            if s.endswith(x) and len(s) > len(x):
                s, changed = s[:-len(x)], True
    s = re.sub(r"^[\d年月日]+", "", s)
    if s in w["pronouns"] or not is_org(s):
        return None
    return s


def _exact_day(line: Line, a: int, b: int) -> str | None:
    for lq in quantities_in(line, a, b, "date"):
        if lq.q.precision == "day" and lq.q.qualifier == "exact":
            return lq.q.value
    return None


def _org_and_date(line: Line, cs: int, v: int) -> tuple[str | None, str | None]:
    """The issuer and date written before an issuing verb at v: [由]<org>[于<date>]印发."""
    t = line.t
    # 印发《A》和《B》: B was issued by the verb before A
    text = re.sub(r"(?:《[^《》]*》(?:、|和|及|与|以及))+$", "", t[cs:v])
    date_at = None
    yu = text.rfind("于")
    if yu > 0 and _exact_day(line, cs + yu, cs + len(text)):
        date_at = (cs + yu, cs + len(text))
        text = text[:yu]
    org = _clean_org(text)
    if not org:
        return None, None
    return org, _exact_day(line, *date_at) if date_at else _exact_day(line, sentence(t, cs)[0], v)


def _issue_in_sentence(line: Line, a: int, b: int, verbs: list[str]) -> tuple[str | None, str | None]:
    """(issuer, date) of <org><verb>《…》 (verb right before the mention at a..b), or of a
    verb after it in the sentence (《…》…，由市政府办公厅于2022年3月16日印发实施)."""
    t = line.t
    s, e = sentence(t, a, b)
    v = re.compile(rf"(?:{alt(verbs)})了?")
    chain = re.compile(r"(?:《[^《》]*》(?:、|和|及|与|以及))+$")
    for m in v.finditer(t, s, e):
        before_mention = m.end() <= a and not chain.sub("", t[m.end():a])
        if before_mention or m.start() >= b:
            org, date = _org_and_date(line, clause(t, m.start())[0], m.start())
            if org:
                return org, date
    return None, None


def _sentence_issuer(view: View, cand: Candidate, status: str) -> tuple[str | None, str | None]:
    w = policy_words()
    order = [w["drafting_verbs"], w["issuing_verbs"]] if status == "draft" else \
        [w["issuing_verbs"], w["drafting_verbs"]]
    spots = mentions_of(view, cand.key)
    if cand.line.index > 0:
        spots.append((cand.line, cand.a - 1, cand.b + 1))
    for verbs in order:
        for line, a, b in spots:
            org, date = _issue_in_sentence(line, a, b, verbs)
            if org:
                return org, date
    return None, None


def _district_region(issuer: str, p: Place) -> str | None:
    city = loc_norm(p.city or p.province)
    if p.level == "district":
        return city + p.name
    if p.level == "zone":
        name = p.text
        for prefix in (p.city, city):
            if prefix and name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix):]
        return city + name
    rest = issuer[p.end:].lstrip("市")
    m = re.match(r"(.+?(?:新区|区|县))", rest)
    return city + m.group(1) if m else city


def level_region(issuer: str | None) -> tuple[str | None, str | None]:
    """Level and region from the issuer's name: its deepest place, or national words."""
    if not issuer:
        return None, None
    w = policy_words()["levels"]
    district_mark = any(x in issuer for x in w["district"])
    ps = places(issuer)
    if not ps:
        if any(x in issuer for x in w["national"]):
            return "national", "全国"
        return ("district" if district_mark else None), None
    p = max(ps, key=lambda p: LEVEL_ORDER[p.level])
    if p.level in ("district", "zone") or (p.level == "city" and district_mark):
        return "district", _district_region(issuer, p)
    if p.level == "city":
        return "municipal", loc_norm(p.city)
    return "provincial", loc_norm(p.province)


# ---------------------------------------------------------------- number, period

def _doc_number(view: View, cand: Candidate, ctx: Context, primary: bool) -> str | None:
    """The page's 发文字号 (meta, a number line at the top of the body, the title), else the
    number in brackets right after a mention of the policy (《…》（桂政办发〔2021〕35号）)."""
    n = parse_doc_number(ctx.meta.get("发文字号"))
    if n:
        return n
    if primary:
        for line in [ln for ln in view.body() if ln.t][:3]:
            # as printed, else folded (a traditional 號 reads as 号)
            n = parse_doc_number(line.raw) or parse_doc_number(line.t)
            if n and len(line.t) <= len(n) + 4:
                return n
        n = parse_doc_number(view.title.raw)
        if n:
            return n
    for line, _, b in mentions_of(view, cand.key):
        if line.t[b:b + 1] == "(":
            n = parse_doc_number(line.t[b:b + 40])
            if n:
                return n
    return None


def _title_period(cand: Candidate) -> str | None:
    for lq in quantities_in(cand.line, cand.a, cand.b, "date"):
        q = lq.q
        if q.qualifier == "range" and q.low and q.high and q.low[:4] != q.high[:4]:
            return f"{q.low[:4]}-{q.high[:4]}"
    return None


def _start_year(line: Line, issued: str | None) -> int | None:
    """The year it takes effect: 自2022年4月1日起施行 in the same line, else the issue year."""
    after = tuple(policy_words()["period"]["start_after"])
    for lq in line.quantities:
        if lq.q.kind == "date" and lq.q.value and lq.q.qualifier == "exact" and line.t[lq.b:].startswith(after):
            return int(lq.q.value[:4])
    return int(issued[:4]) if issued else None


def _clause_period(line: Line, a: int, issued: str | None) -> str | None:
    """Period of a validity clause starting at a: a range of years, an end date, a duration."""
    _, e = sentence(line.t, a)
    start = _start_year(line, issued)
    for lq in quantities_in(line, a, e, "date"):
        q = lq.q
        if q.qualifier == "duration":
            m = re.fullmatch(r"P(\d+)Y", str(q.value))
            if m and start:
                return f"{start}-{start + int(m.group(1))}"
            continue
        low, high = (q.low or q.value), (q.high or q.value)
        if q.qualifier == "range" and low and high and low[:4] != high[:4]:
            return f"{low[:4]}-{high[:4]}"
        if high and start and int(high[:4]) >= start:
            return f"{start}-{high[:4]}"
    return None


def _period(view: View, cand: Candidate, issued: str | None, primary: bool) -> str | None:
    p = _title_period(cand)
    if p or not primary:
        return p
    validity = re.compile(alt(policy_words()["period"]["validity"]))
    for line in view.body():
        for m in validity.finditer(line.t):
            p = _clause_period(line, m.start(), issued)
            if p:
                return p
    return None


# ---------------------------------------------------------------- measures

def _is_measure(t: str, lq: LQ) -> bool:
    """A support amount, not an eligibility threshold, target, difference or budget line."""
    w = policy_words()["measures"]
    q = lq.q
    if q.unit != "CNY" or q.qualifier == "at_least" or (q.value is None and q.low is None):
        return False
    s, e = sentence(t, lq.a, lq.b)
    if not any(x in t[s:e] for x in w["support"]):
        return False
    cs, _ = clause(t, lq.a)
    before = t[cs:lq.a]
    # what follows 给予/奖励… is the award itself: 按其个人贡献给予每人每年最高10万元
    cut = max((before.rfind(x) + len(x) for x in w["support"] + ["给予", "可获", "享受"] if x in before), default=0)
    cond = before[cut:]
    for cap in w["caps"]:
        cond = cond.replace(cap, "")
    return not any(x in cond for x in w["thresholds"] + w["changes"] + w["budget"])


def _unit(t: str, lq: LQ) -> str:
    w = policy_words()["measures"]
    scopes = {"clause": clause(t, lq.a, lq.b), "segment": segment(t, lq.a, lq.b)}
    for rule in w["units"]:
        s, e = scopes[rule["scope"]]
        if any(x in t[s:e] for x in rule["words"]):
            return rule["unit"]
    return w["default_unit"]


def _noun_before(t: str, end_of_suffix: int, suffix_len: int) -> int:
    """Start of a support noun ending at end_of_suffix: up to 4 characters before its suffix."""
    stop = policy_words()["measures"]["what_stop"]
    i = end_of_suffix - suffix_len
    while i > 0 and end_of_suffix - suffix_len - i < 4 and t[i - 1] not in stop and "\u4e00" <= t[i - 1] <= "\u9fff":
        i -= 1
    return i


def _what(t: str, lq: LQ) -> tuple[str, int]:
    """(what the measure is, end of that word): 落户奖励 of 给予最高200万元的一次性落户奖励."""
    suffixes = re.compile(alt(policy_words()["measures"]["what_suffixes"]))
    cs, ce = clause(t, lq.a, lq.b)
    m = suffixes.search(t, lq.b, ce)
    if m:
        return t[_noun_before(t, m.end(), len(m.group(0))):m.end()], m.end()
    found = list(suffixes.finditer(t, cs, lq.a))
    if found:
        m = found[-1]
        return t[_noun_before(t, m.end(), len(m.group(0))):m.end()], lq.b
    head = re.match(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+条|\(?[一二三四五六七八九十\d]+\)|\d+\.)\s*([^。]{2,12})。", t)
    return (head.group(1) if head else "支持"), lq.b


def _amount(q: Quantity):
    return (q.low, q.high) if q.qualifier == "range" else q.value


def _measure(line: Line, lq: LQ) -> Measure:
    t = line.t
    what, end = _what(t, lq)
    cs, _ = clause(t, lq.a)
    cs += len(re.match(r"^(?:对|按|并|且)?", t[cs:lq.a]).group(0))
    s, e = line.span(cs, max(end, lq.b))
    return Measure(what, _amount(lq.q), _unit(t, lq), lq.q.qualifier, line.raw[s - line.start:e - line.start], s, e)


def measures(view: View) -> list[Measure]:
    out, seen = [], set()
    for line in view.body():
        for lq in line.quantities:
            if lq.q.kind == "money" and _is_measure(line.t, lq):
                m = _measure(line, lq)
                key = (str(m.amount), m.unit, m.qualifier, m.what, m.start)
                if key not in seen:
                    seen.add(key)
                    out.append(m)
    return out


# ---------------------------------------------------------------- records

def _issuer(view: View, cand: Candidate, ctx: Context, status: str, primary: bool):
    """(issuer, issue date). The signed notice wins for a text this page issues or drafts; an
    interpretation or a report names who issued it (自治区人民政府办公厅印发《…》)."""
    said, said_date = _sentence_issuer(view, cand, status)
    context = places(cand.title) + ctx.places
    sig = ctx.signature if primary else None
    meta_issuer = (re.split(r"[\s,，、;；]+", ctx.meta.get("发文机关") or "") + [""])[0] if primary else ""
    meta_date = ctx.meta.get("成文日期") if primary else None
    if status == "interpretation":
        issuer = said or (ctx.title_issuer if primary else None) or meta_issuer or None
        date = said_date
    else:
        issuer = (sig[0] if sig else None) or meta_issuer or (ctx.title_issuer if primary else None) or said
        date = (sig[1] if sig else None) or said_date
    if date is None and meta_date:
        q = [x for x in find_quantities(str(meta_date)) if x.kind == "date" and x.precision == "day"]
        date = q[0].value if q else None
    return (_expand(simplified(issuer), context) if issuer else None), date or ctx.published


def _record(view: View, cand: Candidate, ctx: Context, primary: bool) -> PolicyRecord:
    status = "draft" if cand.draft and ctx.status == "in_force" else ctx.status
    issuer, issued = _issuer(view, cand, ctx, status, primary)
    level, region = level_region(issuer)
    s, e = cand.line.span(cand.a, cand.b)
    return PolicyRecord(
        title=cand.title, doc_number=_doc_number(view, cand, ctx, primary), issuer=issuer, level=level,
        region=region, status=status, published=issued, period=_period(view, cand, issued, primary),
        measures=measures(view) if primary else [], raw=view.text[s:e], start=s, end=e,
        snippet=snippet(view.text, s, e))


def find_policies(title: str, body: str, *, published: str | None = None,
                  meta: dict | None = None) -> list[PolicyRecord]:
    """The blockchain policies this document issues, drafts, interprets or reports, one record
    per distinct policy; the first (the page title's policy, else the first reported) gets the
    page's signature, validity clause and measures."""
    view = blockchain_view(title, body, published)
    if view is None:
        return []
    cands = _dedupe(_title_candidates(view) + _body_candidates(view)) or _standalone_candidates(view)
    if not cands:
        return []
    ctx = _context(view, meta, published)
    return [_record(view, c, ctx, i == 0) for i, c in enumerate(cands)]

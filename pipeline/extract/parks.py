"""Park mentions with what the document says about them: where (province, city, district), what
happened (揭牌, 批复 … and when), who runs it (government-led or not), and its figures (area,
settled enterprises, fund) — each figure given to the park its sentence is about, never to the
district, the city, a plan or a neighbouring park.

The reading goes sentence by sentence and keeps a topic: the last specific blockchain park named.
A generic name (园区, 该区块链产业园) or none at all refers back to the topic.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from pipeline.text.names import is_distinctive, name_key, strip_places
from pipeline.text.normalize import fold, normalize, normalize_text
from pipeline.text.patterns import alt
from pipeline.text.places import Location, dominant, find_places, locate
from pipeline.text.sentences import sentences

from . import figures
from .mentions import Name, content_end, find_names, words
from .quantities import find_quantities
from .records import ParkMention, document_text, snippet


def is_specific(name: str) -> bool:
    """A name that says which park (a place, or a distinctive core), unlike 区块链产业园 — and
    one park, unlike 赣州三大区块链园区 or 广东省区块链产业园区."""
    key = name_key(name)
    core, places = strip_places(key)
    if _counts_parks(key) or _collective(key):
        return False
    if not places and _bare(key).startswith("区块链") and not find_places(core):
        return False              # (全国)区块链主题产业园区, 区块链与算力融合发展示范区: a description, no name
    return bool(places) or bool(find_places(core)) or is_distinctive(core)


def _bare(key: str) -> str:
    """The name without the generic words and national prefixes it starts with (全国, 国家, 本地 …)."""
    while m := _heads_re().match(key):
        key = key[m.end():]
    return key


@functools.cache
def _heads_re() -> re.Pattern:
    w = words()
    return re.compile(alt([*w["generic_heads"], *w["place_prefixes"]]))


def only_a_province(name: str) -> bool:
    """四川省区块链特色产业园, 湖北省区块链应用示范基地: a province and generic words only — a title
    given to parks there, or a known park's short name, but not the name of a new one."""
    return _province_only(name_key(name))


def _province_only(key: str) -> bool:
    places = find_places(key)
    rest = key
    for p in sorted(places, key=lambda p: -p.start):
        rest = rest[:p.start] + rest[p.end:]
    return bool(places) and all(p.level == "province" for p in places) and not is_distinctive(rest.lstrip("省"))


def _collective(key: str) -> bool:
    """广东省区块链产业园区: a province and a generic carrier word are all of its parks."""
    return _province_only(key) and any(key.endswith(e) for e in words()["collective_ends"])


@functools.cache
def _plural_re() -> re.Pattern:
    w = words()
    return re.compile(rf"(?:[0-9两二三四五六七八九十几多数各]+(?:{alt(w['plural_classifiers'])})|{alt(w['plural_words'])})")


def _counts_parks(key: str) -> bool:
    """赣州三大区块链园区: a count of parks (the numerals of 三亚 or 九江 are place names)."""
    blanked = key
    for p in find_places(key):
        blanked = blanked[:p.start] + "□" * (p.end - p.start) + blanked[p.end:]
    return bool(_plural_re().search(blanked))


@functools.cache
def _event_re() -> re.Pattern:
    return re.compile(alt(words()["events"]))


# -- where --------------------------------------------------------------------------------------
def _location(text: str, name: Name, title_end: int, doc_places: list) -> Location:
    """From the name (its ambiguous places read the way the document agrees with); else what
    its sentence (before it), the title and the document speak of most. A name that gives only a
    province gets the document's city when that city is in it."""
    s0, _ = name.sentence
    near = find_places(normalize_text(text[s0:name.start] + "\n" + text[:title_end]))
    context = dominant(near) or dominant(doc_places)
    loc = locate(find_places(name.norm), doc_places)
    if not loc:
        return context
    if not loc.city and context.province == loc.province and context.city:
        return Location(loc.province, context.city, loc.district)
    return loc


# -- what happened, and when ------------------------------------------------------------------
_PRECISION = {"day": 3, "month": 2, "year": 1}


def _event(text: str, name: Name, published, signed=None, title_event=None) -> tuple:
    """(event, date, precision, evidence) reported about the park: the event word nearest the
    name in its sentence (shortly after it, or just before it: 入选, 设立), dated by the most
    precise date before the word in the sentence — an approval without one by the date its letter
    is signed (`signed`); a park of a list under a title such as …试点名单 gets the title's event.
    Evidence is the date as written (or the event word) with its span in the document."""
    s0, s1 = name.sentence
    n = normalize(text[s0:s1])
    w = words()
    near = [m for m in _event_re().finditer(n.text) if _about_the_park(n, m, name.start - s0, name.end - s0)]
    m = min(near, key=lambda m: abs(n.span(m.start(), m.end())[0] - (name.end - s0)), default=None)
    if m is None:
        if not title_event or not (name.type in ("pilot", "zone") or _list_item(text, name)):
            return None, None, None, None
        return (title_event, *signed) if signed else (title_event, None, None, None)
    event = w["events"][m.group(0)]
    a, b = n.span(m.start(), m.end())
    word = (text[s0 + a:s0 + b], s0 + a, s0 + b)
    before, offset = _dates_before(text, (s0, s1), a, published)
    if not before:
        return (event, *signed) if signed and event in w["signed_events"] else (event, None, None, word)
    q = max(before, key=lambda q: (_PRECISION.get(q.precision, 0), q.start))
    said = (q.text, q.start + offset, q.end + offset)
    if q.value is None and q.qualifier == "approx" and published:      # 近日, 日前: the publication month
        return event, f"{str(published)[:7]}-01", "month", said
    return event, q.value or q.low, q.precision, said


def _dates_before(text: str, sentence: tuple[int, int], at: int, published) -> tuple[list, int]:
    """The dates of the sentence before the event word (else anywhere in it); a sentence with
    none takes the sentence before it (4月28日上午，…开工仪式举行。…区块链产业园二期项目备受关注)."""
    s0, s1 = sentence
    dates = [q for q in find_quantities(text[s0:s1], published=published, kinds=("date",)) if q.qualifier != "duration"]
    if dates:
        return [q for q in dates if q.start < at] or dates, s0
    e = s0
    while e > 0 and text[e - 1] in "。！？\n \u3000":       # the previous sentence's own end: 参会。\n
        e -= 1
    p0 = max(text.rfind(c, 0, e) for c in "。！？\n") + 1
    prev = [q for q in find_quantities(text[p0:s0], published=published, kinds=("date",))
            if q.qualifier != "duration" and q.precision == "day"]
    return prev, p0


def _list_item(text: str, name: Name) -> bool:
    """The name is an entry of a list: its line holds little else (1．… / 南昌…基地、), but for
    what a list adds after it: a bracket (（申报单位：…）) or another column (8 信阳…产业园 羊山新区管委会)."""
    a = text.rfind("\n", 0, name.start) + 1
    b = text.find("\n", name.end)
    before = text[a:name.start].strip()
    after = text[name.end:b if b >= 0 else len(text)]
    after = "" if re.match(r"\s*[（(][^）)]*[）)]\s*[；;。，,、]?\s*$|[ \t\u3000]+\S+$", after) else after.strip()
    return len(before) + len(after) <= 6


def _about_the_park(n, m: re.Match, name_start: int, name_end: int) -> bool:
    """An event word reports something about the park: shortly after its name or just before it,
    not background (自2020年开园以来) and not said of something else (设立基金)."""
    w = words()
    a, b = n.span(m.start(), m.end())
    after = n.text[m.end():m.end() + 4]
    if after.startswith(("以来", "后", "之后", "时", "的")) or _SINCE.match(n.text, m.end()):
        return False                        # background: 自…开园以来, 开园三年, 成立四周年
    if any(x in _OBJECT.match(n.text, m.end()).group(0) for x in w["event_objects"]):
        return False                        # said of something else: 设立20亿元区块链产业基金
    if 0 <= a - name_end <= w["event_reach"]:
        return True
    if w["events"][m.group(0)] == "签约" and b <= name_start and \
            n.text[:name_start].endswith(tuple(w["built_by_agreement"])):
        return True                         # …签约，双方将在松柏镇共建神农架…产业园: what the signing builds
    between = n.text[b:name_start] if 0 <= name_start - b <= 8 else None
    if between is None or re.search(r"[；;、与和及]", between):
        return False                        # not the last word about another name (…揭牌 与武汉…)
    # in the name's clause, or a signing whose next clause says what it builds (签署协议，共建…)
    clause = re.split(r"[，,]", between)
    return len(clause) == 1 or clause[-1].startswith(tuple(w["built_by_agreement"]))


# a time span right after an event word: 开园三年, 成立四周年, 揭牌一年来
_SINCE = re.compile(r"[0-9０-９一二三四五六七八九十两半几多]+(?:周年|年|个月|天|周)")
# the object an event word takes, up to the end of its clause: 设立20亿元区块链产业基金
_OBJECT = re.compile(r"[^，。；！？,;\n]{0,16}")


def signature_date(text: str, published=None) -> tuple | None:
    """(date, precision, evidence) a letter or notice is signed: a line among its last four that
    is only a date (…工业和信息化部 / 2023年11月28日) — the letter's last four, before an
    attachment that follows it (a line 附件 alone, then the list)."""
    annex = re.search(r"\n[ \t\u3000]*附件[ \t\u3000]*[0-9一二三四五六七八九十]?[ \t\u3000]*\n", text)
    letter = text[:annex.start()] if annex else text
    for line in reversed(letter.rstrip().splitlines()[-4:]):
        qs = find_quantities(line, published=published, kinds=("date",))
        if len(qs) == 1 and qs[0].precision == "day" and len(line.strip()) <= len(qs[0].text) + 4:
            at = letter.rfind(line)
            return qs[0].value, qs[0].precision, (qs[0].text, at + qs[0].start, at + qs[0].end)
    return None


def title_event(title: str | None) -> str | None:
    """The event a list or approval title announces (关于公布…试点名单的通知 → 入选)."""
    t = fold(title)
    return next((e for word, e in words()["title_events"].items() if word in t), None)


# -- who runs it --------------------------------------------------------------------------------
_RUN = re.compile(r"由(?P<who>[^，。；,;]{2,40}?)(?:主导|负责|投资|牵头)?(?:建设|运营|打造|管理|承建|运维)")


def _gov_led(sentence: str) -> tuple[bool | None, str | None]:
    w = words()
    if "政府主导" in sentence:
        return True, "政府主导"
    for m in _RUN.finditer(sentence):
        who = m.group("who")
        if any(g in who for g in w["government_operators"]):
            return True, m.group(0)
        if any(e in who for e in w["enterprise_operators"]):
            return False, m.group(0)
    return None, None


# -- the reading ---------------------------------------------------------------------------------
def park_mentions(title: str | None, body: str | None, *, published=None) -> list[ParkMention]:
    """Every blockchain park name of a document, each with what its sentences say about it."""
    text = document_text(title, body)
    end = content_end(text)
    names = _without_designations(text, find_names(text[:end]))
    others = find_names(text[:end], others=True)
    title_end = len(title or "")
    doc_places = find_places(normalize_text(text[:end]))
    dated = (signature_date(text[:end], published), title_event(title))
    out = _aliases(text, [_mention(text, n, title_end, published, doc_places, dated) for n in names])
    topic, pair = None, []
    for s0, s1 in sentences(text[:end]):
        specific = [m for m in out if s0 <= m.start < s1 and is_specific(m.text)]
        topic = _pointed(text[s0:s1], pair) or topic
        figures.assign(figures.Sentence(text, (s0, s1), specific, topic, [o for o in others if s0 <= o.start < s1],
                                        names), published)
        _operator(text, (s0, s1), specific[-1] if specific else topic)
        pair = specific if len({name_key(m.text) for m in specific}) > 1 else pair
        topic = _topic(specific, topic)
    return out


def _pointed(sentence: str, pair: list[ParkMention]) -> ParkMention | None:
    """前者 / 后者: the first or the last park of the last sentence that listed several."""
    if not pair:
        return None
    head = fold(sentence)[:12]
    if "前者" in head:
        return pair[0]
    if "后者" in head:
        return pair[-1]
    return None


def _aliases(text: str, mentions: list[ParkMention]) -> list[ParkMention]:
    """福州高新区海西区块链创新产业园（以下简称“海西链园”）, 喀什区块链产业园（“喀什链城”）: the
    short name is the same park, and so is every later use of it (目前，海西链园已入驻企业37家)."""
    extra = []
    for a, b in zip(mentions, mentions[1:]):
        if _full_name_re().search(text[max(a.end, b.start - 8):b.start]):
            b.alias_of = a.start              # 平潭“链岛”区块链产业园开园。该园区全称平潭两岸区块链产业园
            continue
        if not _ALIAS.fullmatch(text[a.end:b.start]):
            continue
        b.alias_of = a.start
        short = b.text.strip("“”\"「」")
        for m in re.finditer(re.escape(short), text[b.end:]):
            at = b.end + m.start()
            if len(short) >= 2 and not any(x.start <= at < x.end for x in mentions):
                extra.append(replace(b, text=short, start=at, end=at + len(short), role="mentioned", event=None,
                                     event_date=None, event_precision=None, event_evidence=None, facts=[],
                                     snippet=snippet(text, at, at + len(short))))
    return sorted(mentions + extra, key=lambda m: m.start)


# another name the text gives the park before it: 该园区全称…, 又称…
@functools.cache
def _full_name_re() -> re.Pattern:
    return re.compile(rf"{alt(words()['full_name_words'])}(?:为|是)?[：:]?\s*$")


# （以下简称“海西链园”）, and a bracketed name right after the name: 喀什区块链产业园（“喀什链城”）
_ALIAS = re.compile(r"\s*[（(]\s*(?:(?:以下)?(?:简称|称)(?:为)?[：:]?\s*)?[“\"「]?")

def _topic(specific: list[ParkMention], topic: ParkMention | None) -> ParkMention | None:
    """The park later sentences are about: the one park a sentence names; a sentence that lists
    several parks leaves no single one (their figures are not the last listed park's)."""
    parks = {name_key(m.text) for m in specific}
    if len(parks) > 1:
        return None
    return specific[-1] if specific else topic


def _without_designations(text: str, names: list[Name]) -> list[Name]:
    """Drop a name that is a title given to a park named before it in the same sentence, or the
    start of a company's name (河南中链孵化器管理有限公司)."""
    verbs = words()["designation_verbs"]
    out = []
    for n in names:
        before = fold(text[max(n.sentence[0], n.start - 6):n.start]).rstrip("“\"'「")
        earlier = any(o.sentence == n.sentence and o.end <= n.start and is_specific(o.text) for o in out)
        company = re.match(r"(?:管理|运营|发展|投资|科技|服务)?(?:有限责任公司|有限公司|股份|集团|公司)", text[n.end:n.end + 10])
        if not (earlier and any(before.endswith(v) for v in verbs)) and not company:
            out.append(n)
    return out


def _mention(text: str, n: Name, title_end: int, published, doc_places: list, dated=(None, None)) -> ParkMention:
    loc = _location(text, n, title_end, doc_places)
    event, date, precision, said = _event(text, n, published, *dated)
    return ParkMention(n.text, n.start, n.end, n.type, loc.province, loc.city, loc.district,
                       "subject" if n.start < title_end else "mentioned", event, date, precision,
                       snippet=snippet(text, n.start, n.end), event_evidence=said)


def _operator(text: str, span: tuple[int, int], target: ParkMention | None) -> None:
    if target is None or target.gov_led is not None:
        return
    led, evidence = _gov_led(text[span[0]:span[1]])
    if led is not None:
        at = text.find(evidence, span[0])
        target.gov_led, target.gov_led_evidence, target.gov_led_span = led, evidence, (at, at + len(evidence))

"""What the extraction stage finds in one document: small records that keep their raw text and
span (character offsets into `title + "\\n" + body`, the document's text), so every stored fact
can show the sentence that says so."""
from __future__ import annotations

from dataclasses import dataclass, field


def document_text(title: str | None, body: str | None) -> str:
    """The one text every span refers to: the title, a newline, the body."""
    return f"{title or ''}\n{body or ''}"


def snippet(text: str, start: int, end: int, width: int = 60) -> str:
    """The sentence (or a window of it) around text[start:end], on one line."""
    left = max(text.rfind(c, 0, start) for c in "。！？；\n") + 1
    right = min((i for i in (text.find(c, end) for c in "。！？；\n") if i >= 0), default=len(text))
    left, right = max(left, start - width), min(right + 1, end + width)
    return " ".join(text[left:right].split())


@dataclass(frozen=True)
class FactRecord:
    """One attribute of a park: area_m2, enterprises, fund_yuan (values as Quantity gives them)."""
    field: str
    value: object
    low: object
    high: object
    unit: str
    qualifier: str
    raw: str
    start: int
    end: int
    snippet: str
    total: int = 0                 # 2 said as the figure now (目前, 已达), 1 a running total (累计): preferred


@dataclass
class ParkMention:
    text: str                      # the name as written
    start: int
    end: int
    type: str                      # park | incubator | base | zone | pilot
    province: str | None = None    # short forms: 湖南, 长沙
    city: str | None = None
    district: str | None = None
    role: str = "mentioned"        # subject | mentioned
    event: str | None = None       # 揭牌, 开园, 批复 …
    event_date: str | None = None  # ISO, at its precision
    event_precision: str | None = None
    gov_led: bool | None = None
    gov_led_evidence: str | None = None
    facts: list[FactRecord] = field(default_factory=list)
    snippet: str = ""
    alias_of: int | None = None    # start of the name this one abbreviates (…产业园（以下简称“海西链园”）)
    event_evidence: tuple[str, int, int] | None = None   # the event's date (or word) as written, and where
    gov_led_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Measure:
    """A support measure with an amount: 房租补贴 每天每平方米不超过1元, 落户奖励最高300万元."""
    what: str
    amount: object                 # yuan (a number; a (low, high) pair for a range)
    unit: str                      # once | per_year | per_m2_per_day | per_m2_per_month | per_person | per_project
    qualifier: str                 # exact | at_most | at_least | approx | range
    raw: str
    start: int
    end: int


@dataclass
class PolicyRecord:
    title: str                     # without 《》, 关于印发…的通知 and （征求意见稿）
    doc_number: str | None
    issuer: str | None             # the first issuing body of this version
    level: str | None              # national | provincial | municipal | district
    region: str | None             # 全国, a province or city short form, or city + district
    status: str                    # draft | in_force | interpretation
    published: str | None          # ISO date of issue (else the document's)
    period: str | None             # "2021-2023"
    measures: list[Measure]
    raw: str                       # the title as written
    start: int
    end: int
    snippet: str


@dataclass
class FundRecord:
    name: str | None
    size: object                   # in units of its currency
    currency: str
    tranche: object                # first tranche (首期), same units
    sponsors: list[str]
    government_share: float | None
    region: str | None             # short form
    park_text: str | None          # the park it is linked to, as written (resolved later)
    raw: str
    start: int
    end: int
    snippet: str
    size_raw: str | None = None    # the size as written (基金总规模10亿元 → 10亿元), and where
    size_span: tuple[int, int] | None = None
    size_qualifier: str | None = None


@dataclass
class Classification:
    label: str                     # park_event | policy | fund | pilot_zone | statistics | irrelevant
    scores: dict[str, float]
    reasons: list[str]


@dataclass
class DocumentFacts:
    classification: Classification
    mentions: list[ParkMention]
    policies: list[PolicyRecord]
    funds: list[FundRecord]

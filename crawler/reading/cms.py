"""The CMS reading rules of cms.yaml, loaded on first use and compiled once."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml


@functools.cache
def cms() -> dict:
    return yaml.safe_load((Path(__file__).parent / "cms.yaml").read_text(encoding="utf-8"))


def spaced(word: str) -> str:
    """A label that may be printed with spaces between its characters: 索 引 号."""
    return r"\s*".join(map(re.escape, word))


# a raw date as CMS pages print it: 2026-03-02, 2026年3月2日 14:05, ２０２６．３．２
DATE_RAW = (r"([0-9０-９]{2,4}\s*[-/.年]\s*[0-9０-９]{1,2}\s*[-/.月]\s*[0-9０-９]{1,2}\s*日?"
            r"(?:\s*[0-9０-９]{1,2}[:：][0-9０-９]{2}(?:[:：][0-9０-９]{2})?)?)")
# a date beside a link in a list (the year is optional: 03-02)
DATE_NEAR = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?)?|\d{1,2}-\d{1,2}")


@functools.cache
def date_labels() -> list[tuple[re.Pattern, tuple[str, ...]]]:
    """(pattern, its label words): the specific labels first, then a bare 日期/时间."""
    d = cms()["date_labels"]
    value = r"\s*[:：]\s*" + DATE_RAW
    not_after = "".join(f"(?<!{re.escape(w)})" for w in d["not_after"])
    return [(re.compile(f"(?:{'|'.join(map(spaced, d['publication']))})" + value), tuple(d["publication"])),
            (re.compile(not_after + f"(?:{'|'.join(map(spaced, d['generic']))})" + value), tuple(d["generic"]))]


@functools.cache
def attachment_re() -> re.Pattern:
    return re.compile(r"\.(%s)(?:$|[?#])" % "|".join(map(re.escape, cms()["attachment_extensions"])), re.I)


@functools.cache
def article_url() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in cms()["article_url_patterns"]), re.I)


@functools.cache
def _nav() -> re.Pattern:
    return re.compile(r"(?:^|\s)(?:%s)(?:\s|$|[-_])" % "|".join(map(re.escape, cms()["nav_classes"])), re.I)


@functools.cache
def next_text() -> re.Pattern:
    arrows = re.escape(cms()["next_page_arrows"])
    words = "|".join(map(re.escape, cms()["next_page_words"]))
    return re.compile(rf"^\s*(?:(?:{words})\s*[{arrows}]*|[{arrows}])\s*$")


def in_nav(el) -> bool:
    """Is an lxml element inside navigation (nav, header, footer, or a region named like one)?"""
    for anc in el.iterancestors():
        tag = anc.tag if isinstance(anc.tag, str) else ""
        if tag in ("nav", "header", "footer"):
            return True
        cls = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if cls.strip() and _nav().search(cls):
            return True
    return False

"""The pure half of storing a crawled item: what its columns say, parsed from its raw strings.

Title, publication date (and where it came from), 发文字号, issuer, relevance label,
flags and the text hash. Nothing here touches the store.
"""
from __future__ import annotations

import hashlib
import json

from pipeline.text.clean import strip_controls
from pipeline.text.docnumber import parse_doc_number
from pipeline.text.normalize import fold

from .published import parse_published
from .relevance import label

# share of U+FFFD above which a decoded page is not stored as clean text
DECODE_ERROR_RATIO = 0.01
ISSUER_LABELS = ("发文机关", "发布机构", "来源", "信息来源")


def text_hash(body: str | None, *, folded: str | None = None) -> str:
    """Hash of the text only: whitespace and full-width/traditional forms do not count as change."""
    f = folded if folded is not None else fold(body or "")
    return hashlib.sha256(f.encode("utf-8")).hexdigest()[:20]


def flags_of(item: dict, body: str) -> list[str]:
    flags = []
    if float(item.get("bad_char_ratio") or 0) > DECODE_ERROR_RATIO:
        flags.append("decode-errors")
    if not body.strip():
        flags.append("empty")
    return flags


def document_row(item: dict) -> dict:
    """The documents columns of one raw item (a RawDocument as a dict)."""
    title = strip_controls((item.get("title") or item.get("list_title") or "").strip()) or None
    body = strip_controls(item.get("body") or "")
    flags = flags_of(item, body)
    clean = not flags
    folded = fold(body) if clean else ""
    pub = parse_published(item.get("date_candidates") or [], item.get("url"))
    meta = item.get("meta_fields") or {}
    return {
        "title": title if clean else None,
        "published": pub.date if pub else None,
        "published_precision": pub.precision if pub else None,
        "published_raw": pub.raw if pub else None,
        "published_from": pub.source if pub else None,
        "body": body if clean else None,
        "content_hash": text_hash(body, folded=folded) if clean else None,
        "relevance": label(title, body, folded_body=folded) if clean else None,
        "doc_number": parse_doc_number(meta.get("发文字号") or meta.get("文号")) or
        (parse_doc_number(f"{title or ''}\n{body[:400]}") if clean else None),
        "issuer": strip_controls(next((meta[k] for k in ISSUER_LABELS if meta.get(k)), None)),
        "encoding": item.get("encoding"),
        "replacement_ratio": float(item.get("bad_char_ratio") or 0),
        "flags": json.dumps(flags) if flags else None,
        "attachments": json.dumps(item.get("attachments") or [], ensure_ascii=False),
        "etag": item.get("etag"),
        "last_modified": item.get("last_modified"),
        "list_title": strip_controls(item.get("list_title")),
        "final_url": item.get("final_url"),
        "fetched_at": item.get("fetched_at"),
    }

"""Document numbers (发文字号): <issuer>〔YYYY〕N号, with 〔〕, [], 【】, （） or ［］."""
from __future__ import annotations

import re

_DOCNO = re.compile(r"([\u4e00-\u9fff]{1,15}[〔\[【(（［﹝]\s*(?:19|20)\d{2}\s*[〕\]】)）］﹞]\s*第?\s*\d{1,5}\s*号)")


def parse_doc_number(text: str | None) -> str | None:
    if not text:
        return None
    m = _DOCNO.search(text)
    return re.sub(r"\s+", "", m.group(1)) if m else None

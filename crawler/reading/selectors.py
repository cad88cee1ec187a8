"""The one rule for a configured selector: XPath when it starts like a path, else CSS.

XPath: `/…`, `(…)`, `./…`, `../…`. Everything else is CSS, so `.list li` (a class) is CSS.
"""
from __future__ import annotations

_XPATH_START = ("/", "(", "./", "../")


def is_xpath(expr: str) -> bool:
    return expr.lstrip().startswith(_XPATH_START)


def select(node, expr: str):
    """node.xpath(expr) or node.css(expr) for a parsel Selector or a Scrapy response."""
    return node.xpath(expr) if is_xpath(expr) else node.css(expr)


def text_of(node, expr: str) -> str | None:
    """The joined string value of what `expr` selects under `node`, or None."""
    v = " ".join(select(node, expr).xpath("string()").getall()).strip()
    return v or None

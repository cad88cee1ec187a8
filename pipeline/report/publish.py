"""Writing the edition: DIR/index.md or DIR/index.html (one page, inline CSS, no script) and the
chart files it references by relative path.

Crawled text (names, titles, snippets, URLs) is untrusted. HTML goes through Jinja2 with
autoescape; Markdown through an environment whose finalize escapes every value that is not
markup we built (MdSafe); only http(s) URLs become links in either."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from . import charts as charts_mod
from .formats import cell

FORMATS = ("md", "html")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")
_MD_ANY = re.compile(r"[\\`*_\[\]<>|&\r\n]")
_NEWLINES = re.compile(r"[\r\n]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MdSafe(str):
    """Markdown built here (links): not escaped again."""


def md_escape(v) -> str:
    """A value as Markdown text: nothing in it can break a table row, open a link or emit HTML."""
    if isinstance(v, MdSafe):
        return v
    s = cell(v)
    if not _MD_ANY.search(s):           # most cells: nothing to escape
        return s
    return _MD_SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", s))


@functools.lru_cache(maxsize=65536)
def _href(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    clean = url == url.strip() and not _CONTROL.search(url)
    return url if clean and parts.scheme.lower() in ("http", "https") and parts.netloc else None


def href(url) -> str | None:
    """The URL when it may be a link (http or https with a host), else None."""
    return _href(url) if isinstance(url, str) else None


def md_links(urls) -> MdSafe:
    out = []
    for u in urls or []:
        if href(u):
            target = quote(u, safe="/:?#=&%+,;@!$~*'.-_")
            out.append(f"[{md_escape(u)}]({target.replace('(', '%28').replace(')', '%29')})")
        else:
            out.append(md_escape(u))
    return MdSafe(" · ".join(out))


def _env(fmt: str) -> Environment:
    # .html templates are autoescaped in either environment; the Markdown one escapes for Markdown
    # instead (HTML entities would show as text there), through finalize
    common = {"loader": PackageLoader("pipeline.report", "templates"), "undefined": StrictUndefined,
              "trim_blocks": True, "lstrip_blocks": True, "keep_trailing_newline": True}
    if fmt == "html":
        env = Environment(autoescape=select_autoescape(enabled_extensions=("html",)), **common)
    else:
        env = Environment(autoescape=select_autoescape(enabled_extensions=("html",)), finalize=md_escape, **common)
        env.filters["links"] = md_links
    env.filters["cell"] = cell
    env.filters["href"] = href
    return env


def write(rep: dict, out: Path, fmt: str = "md", *, family: str | None = None) -> list[Path]:
    """Write the page and its charts into `out`; returns the paths written, the page first."""
    from .layout import sections, summary
    out.mkdir(parents=True, exist_ok=True)
    charts = charts_mod.write(rep, out / "charts", family=family)
    page = out / f"index.{fmt}"
    text = _env(fmt).get_template(f"edition.{fmt}").render(rep=rep, summary=summary(rep), sections=sections(rep),
                                                           charts=charts)
    page.write_text(text, encoding="utf-8")
    return [page, *(c["path"] for c in charts)]

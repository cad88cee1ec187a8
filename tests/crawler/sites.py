"""Small sites built by a test: TRS-style list pages and their articles, served by the mirror."""
from pathlib import Path

HOST = "edge.example.gov.cn"


def trs_list_site(root: Path, pages: list[list[tuple[str, str]]], routes: str = "", extra: dict | None = None,
                  *, slug: str = "edge", host: str = HOST, robots: str = "User-agent: *\\nDisallow:\\n") -> Path:
    """A TRS-style list of `pages` (each a list of (article id, title)) with their articles."""
    site = root / slug
    (site / "xxgk" / "202611").mkdir(parents=True, exist_ok=True)
    (site / "_meta.yaml").write_text(f"slug: {slug}\nurl: http://{host}/\nfetched: 2026-11-20\nencoding: utf-8\n"
                                     f"robots: \"{robots}\"\n{routes}", encoding="utf-8")
    for p, items in enumerate(pages):
        lis = "".join(f'<li><a href="./202611/t20261101_{i}.html">{t}</a><span>2026-11-01</span></li>' for i, t in items)
        name = "index.html" if p == 0 else f"index_{p}.html"
        (site / "xxgk" / name).write_text(f'<html><body><ul>{lis}</ul><script>createPageHTML({len(pages)}, {p}, '
                                          f'"index", "html");</script></body></html>', encoding="utf-8")
        for i, t in items:
            (site / "xxgk" / "202611" / f"t20261101_{i}.html").write_text(
                f"<html><head><title>{t}</title></head><body><h1>{t}</h1><div class='TRS_Editor'><p>{t}。"
                "某市区块链产业园区建设情况通报，正文内容。</p></div></body></html>", encoding="utf-8")
    for path, html in (extra or {}).items():
        (site / path).write_text(html, encoding="utf-8")
    return site


def registry(root: Path, entries: list[dict] | None = None, **extra) -> Path:
    """A registry of one source `edge` (with `extra` fields), or of the given entries."""
    import yaml
    src = root / "sources.yaml"
    entries = entries or [{"slug": "edge", "kind": "listing", "start_urls": [f"http://{HOST}/xxgk/index.html"],
                           "politeness": {"download_delay": 0, "concurrency": 2, "timeout": 5}, **extra}]
    src.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    return src

"""The edition's charts as SVG files: parks by province, by founding year, and 2020 against now.

Text is drawn as glyph outlines (svg.fonttype 'path'), so a chart looks the same on a machine
without CJK fonts; the font is chosen explicitly, since matplotlib's default (DejaVu Sans) has no
Chinese glyphs and would draw every label as boxes. matplotlib is imported here, not by the
report, and the Agg backend is set when a chart is drawn: importing parkwatch selects nothing."""
from __future__ import annotations

from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
DEBIAN_PACKAGE = "fonts-noto-cjk"
CHARTS = (("by-province", "Parks by province · 各省园区数"), ("by-year", "Parks by founding year · 按成立年份"),
          ("then-now", "2020 census against now, by province · 2020 年普查与现在"))
COLORS = {"gov": "#b2182b", "other": "#ef8a62", "unreviewed": "#ffffff", "then": "#999999", "now": "#2166ac"}


class FontMissing(RuntimeError):
    """The CJK font is not installed: one line naming the package that brings it."""


def cjk_family(family: str | None = None) -> str:
    """The family name (default CJK_FAMILY), once matplotlib is known to have it (a font installed after
    matplotlib built its font cache is found by scanning the system fonts once)."""
    from matplotlib import font_manager as fm
    family = family or CJK_FAMILY
    if not any(f.name == family for f in fm.fontManager.ttflist):
        for path in fm.findSystemFonts():
            if "CJK" in Path(path).name:
                fm.fontManager.addfont(path)
    if not any(f.name == family for f in fm.fontManager.ttflist):
        raise FontMissing(f"the report's charts need the font {family!r}, which is not installed: install the "
                          f"Debian package {DEBIAN_PACKAGE} (apt-get install {DEBIAN_PACKAGE})")
    return family


def _style(family: str) -> dict:
    return {"font.family": [family], "svg.fonttype": "path", "svg.hashsalt": "parkwatch",
            "axes.unicode_minus": False, "axes.spines.top": False, "axes.spines.right": False}


def _figure(n: int, horizontal: bool):
    from matplotlib.figure import Figure
    size = (7.5, max(2.5, 0.32 * n + 1.2)) if horizontal else (max(6.0, 0.55 * n + 2), 4.0)
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot()


def _stacked(ax, labels, series, horizontal: bool) -> None:
    """Bars stacked from (label, values, colour, hatch) series."""
    base = [0] * len(labels)
    pos = range(len(labels))
    for name, values, color, hatch in series:
        if not any(values):
            continue
        bar = ax.barh if horizontal else ax.bar
        kw = {"left": base} if horizontal else {"bottom": base}
        bar(pos, values, color=color, hatch=hatch, edgecolor="#444444", linewidth=0.5, label=name, **kw)
        base = [b + v for b, v in zip(base, values)]
    (ax.set_yticks if horizontal else ax.set_xticks)(list(pos), labels)
    _counts_axis(ax, horizontal)


def _counts_axis(ax, horizontal: bool) -> None:
    """Whole parks on the count axis; the first row on top."""
    from matplotlib.ticker import MaxNLocator
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if horizontal:
        ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)


def _parks_series(rows, unreviewed: bool) -> list:
    out = [("government-led · 政府主导", [r["gov_led"] for r in rows], COLORS["gov"], None),
           ("other · 其他", [r["parks"] - r["gov_led"] for r in rows], COLORS["other"], None)]
    if unreviewed:
        out.append(("unreviewed candidates · 未审核候选", [r["unreviewed"] for r in rows], COLORS["unreviewed"], "///"))
    return out


def by_province(fig_ax, rep: dict) -> None:
    fig, ax = fig_ax
    rows = rep["by_province"]
    _stacked(ax, [r["province"] for r in rows], _parks_series(rows, rep["include_candidates"]), True)
    ax.set_xlabel("parks · 园区数")


def by_year(fig_ax, rep: dict) -> None:
    fig, ax = fig_ax
    rows = rep["by_year"]
    _stacked(ax, [str(r["year"]) for r in rows], _parks_series(rows, rep["include_candidates"]), False)
    ax.set_ylabel("parks · 园区数")


def then_now(fig_ax, rep: dict) -> None:
    fig, ax = fig_ax
    rows = rep["by_province"]
    pos = range(len(rows))
    ax.barh([i - 0.2 for i in pos], [r["parks_2020"] for r in rows], height=0.4, color=COLORS["then"],
            label="2020 census · 2020 年普查")
    ax.barh([i + 0.2 for i in pos], [r["parks"] for r in rows], height=0.4, color=COLORS["now"],
            label="now (reviewed) · 现在（已审核）")
    ax.set_yticks(list(pos), [r["province"] for r in rows])
    _counts_axis(ax, True)
    ax.set_xlabel("parks · 园区数")


def write(rep: dict, folder: Path, *, family: str | None = None) -> list[dict]:
    """Draw every chart into `folder`; returns [{name, file, title}] with file relative to the folder's parent."""
    import matplotlib
    matplotlib.use("Agg")
    family = family or cjk_family()
    folder.mkdir(parents=True, exist_ok=True)
    draw = {"by-province": (by_province, len(rep["by_province"]), True), "by-year": (by_year, len(rep["by_year"]), False),
            "then-now": (then_now, 2 * len(rep["by_province"]) // 3, True)}
    out = []
    with matplotlib.rc_context(_style(family)):
        for name, title in CHARTS:
            fn, n, horizontal = draw[name]
            fig, ax = _figure(n, horizontal)
            fn((fig, ax), rep)
            ax.set_title(title, fontsize=11)
            path = folder / f"{name}.svg"
            fig.savefig(path, format="svg", metadata={"Date": None})
            out.append({"name": name, "file": f"{folder.name}/{path.name}", "path": path, "title": title})
    return out

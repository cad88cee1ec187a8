"""A generated TRS-style site for load tests and benchmarks: createPageHTML pagination,
tYYYYMMDD_<id>.html articles of ~6 KB, GBK — the shape of a provincial department's notices."""
from __future__ import annotations

import random
from pathlib import Path

PER_PAGE = 20
WORDS = ("区块链 产业园 数字经济 揭牌 入驻企业 规划面积 平方公里 专项资金 亿元 政策 通知 工业和信息化 "
         "高质量发展 创新应用 先导区 孵化器 基金 项目 签约 开园 省级 示范 园区 链谷").split()


def trs_site(root: Path, n: int, *, slug: str = "bench-trs", host: str | None = None, seed: int = 7) -> int:
    """Write a site of n articles under root/slug; returns the number of list pages."""
    site = root / slug
    lists = -(-n // PER_PAGE)
    (site / "xxgk" / "tzgg" / "202601").mkdir(parents=True, exist_ok=True)
    url = f"url: http://{host}/\n" if host else ""
    (site / "_meta.yaml").write_text(f"slug: {slug}\n{url}encoding: gbk\nfetched: 2026-11-20\n"
                                     "robots: \"User-agent: *\\nDisallow: /private/\\n\"\n", encoding="utf-8")
    rnd = random.Random(seed)
    for p in range(lists):
        items = []
        for i in range(p * PER_PAGE, min(n, (p + 1) * PER_PAGE)):
            day = 20260101 + (i % 28)
            items.append(f'<li><a href="./202601/t{day}_{100000 + i}.html" title="关于区块链产业园建设的通知第{i}号">'
                         f"关于区块链产业园建设的通知第{i}号</a><span>2026-01-{1 + i % 28:02d}</span></li>")
            body = "".join(f"<p>{''.join(rnd.choice(WORDS) for _ in range(60))}。</p>" for _ in range(12))
            html = (f'<html><head><meta charset="gbk"><meta name="ArticleTitle" content="关于区块链产业园建设的通知第{i}号">'
                    f'<meta name="PubDate" content="2026-01-{1 + i % 28:02d} 10:00"></head><body><div class="nav">首页 '
                    f'政务公开</div><div class="TRS_Editor">{body}<p>规划面积 {1 + i % 9}.5 平方公里，入驻企业 {20 + i % 50}'
                    f' 余家。</p></div><a href="./P0202601{i}.pdf">附件1：申报指南.pdf</a></body></html>')
            (site / "xxgk" / "tzgg" / "202601" / f"t{day}_{100000 + i}.html").write_bytes(html.encode("gbk"))
        name = "index.html" if p == 0 else f"index_{p}.html"
        page = (f'<html><head><meta charset="gbk"></head><body><div class="nav"><a href="/">首页</a></div>'
                f'<ul class="list">{"".join(items)}</ul><script>createPageHTML({lists}, {p}, "index", "html");'
                f"</script></body></html>")
        (site / "xxgk" / "tzgg" / name).write_bytes(page.encode("gbk"))
    return lists

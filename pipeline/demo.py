"""parkwatch demo: the product end to end on the bundled offline mirror."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from crawler import sources
from crawler.mirror import server

from . import formats


def run(db_path=None, *, serve=False, echo=print) -> dict:
    from db.store import open_db, resolve_path
    from .baseline import load
    from .crawl import FIGURE_COLUMNS, run_crawl
    from . import report

    db = open_db(db_path)
    st = load(db)
    echo(f"baseline: 44 census parks ({st.new} new rows, {st.unchanged} unchanged)")
    mirror = server.serve(stable_ports=True)
    try:
        text = sources.substitute(sources.DEMO_FILE.read_text(encoding="utf-8"), mirror.placeholders())
        tmp = Path(tempfile.mkdtemp(prefix="parkwatch-demo-")) / "demo_sources.yaml"
        tmp.write_text(text, encoding="utf-8")
        reg = sources.load(tmp)
        echo(f"offline mirror: {len(mirror.servers)} saved sites on 127.0.0.1; crawling {len(reg.sources)} demo sources …")
        # the mirror is local: retries need no real backoff wait
        res = run_crawl(reg, sorted(reg.sources), db_path, progress=5, extra={"PARKWATCH_BACKOFF_BASE": 0.2})
        echo(formats.table(res.rows(), FIGURE_COLUMNS))
        rows = list(db.query("SELECT relevance, count(*) AS documents FROM documents GROUP BY relevance ORDER BY 2 DESC"))
        echo("\ndocuments by relevance:\n" + formats.table(rows, ["relevance", "documents"]))
        rep = report.build(db)
        wrong = [c for c in rep["claims"] if c["agrees"] is False]
        echo(f"\ncensus: {rep['parks']} parks, {rep['gov_led']} government-led, {rep['provinces']} provinces; "
             f"{len(wrong)} of {len(rep['claims'])} report claims contradicted by its own tables "
             f"({', '.join(c['id'] for c in wrong)})")
        echo(f"store: {resolve_path(db_path)} — `parkwatch documents`, `parkwatch runs`, `parkwatch report census`")
        if serve:
            for slug in mirror.servers:
                echo(f"  {slug}: {mirror.url(slug)}")
            echo("serving the mirror; Ctrl-C to stop")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
        return {"crawl": res, "report": rep}
    finally:
        mirror.stop()

"""The database schema, created and upgraded by sqlite-utils Migrations.

Every table has a stable identity (a park id, source + URL, or a natural key)
separate from its content hash, so "new" and "changed" can be told apart.
Add a migration for every change; never edit one that has shipped.
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("parkwatch")


@migrations()
def m001_initial(db: Database) -> None:
    for sql in _INITIAL:
        db.execute(sql)


# where a record comes from (the census or a crawled document) and when it was seen:
# the same columns on every table of extracted records
_PROVENANCE = """source_kind TEXT NOT NULL,          -- baseline | document
        source_ref TEXT NOT NULL,
        document_id INTEGER REFERENCES documents(id),
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL"""

_INITIAL = [
    """CREATE TABLE parks (
        id TEXT PRIMARY KEY,                -- p001 … (census row order), later detected parks continue
        name TEXT NOT NULL,                 -- canonical name
        name_key TEXT NOT NULL UNIQUE,      -- normalized name used for resolution
        province TEXT,
        city TEXT,
        founded TEXT,                       -- ISO date of the start of the founding period
        founded_precision TEXT,             -- year | month | day
        gov_led INTEGER NOT NULL DEFAULT 0, -- census table 2-1
        status TEXT NOT NULL DEFAULT 'baseline',  -- baseline | accepted | candidate | rejected | merged
        merged_into TEXT REFERENCES parks(id),
        origin TEXT NOT NULL,               -- census2020 | detected
        content_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    """CREATE TABLE park_aliases (
        id INTEGER PRIMARY KEY,
        park_id TEXT NOT NULL REFERENCES parks(id),
        alias TEXT NOT NULL,                -- the spelling as seen
        alias_key TEXT NOT NULL,            -- normalized
        source_kind TEXT NOT NULL,          -- baseline | document | review
        source_ref TEXT NOT NULL,
        UNIQUE (park_id, alias)
    )""",
    "CREATE INDEX idx_park_aliases_key ON park_aliases(alias_key)",
    """CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT,
        published TEXT,                     -- ISO date
        published_raw TEXT,
        published_from TEXT,                -- meta | text | url | feed | api | list
        body TEXT,
        content_hash TEXT,
        version_count INTEGER NOT NULL DEFAULT 1,
        relevance TEXT,                     -- park | policy | fund | other
        doc_number TEXT,                    -- 发文字号
        issuer TEXT,
        encoding TEXT,
        replacement_ratio REAL,
        flags TEXT,                         -- JSON list: decode-errors, …
        attachments TEXT,                   -- JSON list of {url, title, type}
        etag TEXT,
        last_modified TEXT,
        duplicate_of INTEGER REFERENCES documents(id),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        UNIQUE (source, url)
    )""",
    "CREATE INDEX idx_documents_hash ON documents(content_hash)",
    """CREATE TABLE document_versions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        version INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT,
        published TEXT,
        body TEXT,
        fetched_at TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        UNIQUE (document_id, version)
    )""",
    """CREATE TABLE facts (
        id INTEGER PRIMARY KEY,
        fact_key TEXT NOT NULL UNIQUE,      -- park | field | source_ref | label: stable identity
        park_id TEXT NOT NULL REFERENCES parks(id),
        field TEXT NOT NULL,                -- founded | area_m2 | enterprises | fund_yuan | opened_on | …
        value,                              -- normalized (integer yuan, m², count, ISO date)
        low,
        high,
        unit TEXT,
        qualifier TEXT,
        precision TEXT,
        tranche,
        label TEXT,
        raw TEXT NOT NULL,                  -- the raw text the value was parsed from
        source_kind TEXT NOT NULL,          -- baseline | document
        source_ref TEXT NOT NULL,           -- census2020:table-2-2:7 or documents.id
        document_id INTEGER REFERENCES documents(id),
        evidence TEXT,                      -- snippet around the raw text
        effective_date TEXT,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    )""",
    "CREATE INDEX idx_facts_park ON facts(park_id, field)",
    f"""CREATE TABLE policies (
        id INTEGER PRIMARY KEY,
        policy_key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        short_name TEXT,
        province TEXT,
        issuer TEXT,
        doc_number TEXT,
        published TEXT,
        published_precision TEXT,
        published_raw TEXT,
        park_id TEXT REFERENCES parks(id),
        summary TEXT,
        {_PROVENANCE}
    )""",
    f"""CREATE TABLE funds (
        id INTEGER PRIMARY KEY,
        fund_key TEXT NOT NULL UNIQUE,
        park_id TEXT REFERENCES parks(id),
        name TEXT,
        amount INTEGER,                     -- integer units of the currency
        tranche INTEGER,
        currency TEXT,
        qualifier TEXT,
        sponsor TEXT,
        raw TEXT NOT NULL,
        {_PROVENANCE}
    )""",
    f"""CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        plan_key TEXT NOT NULL UNIQUE,
        level TEXT NOT NULL,                -- province | city
        region TEXT NOT NULL,
        published TEXT,
        published_raw TEXT,
        title TEXT NOT NULL,
        targets TEXT,
        {_PROVENANCE}
    )""",
    f"""CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        event_key TEXT NOT NULL UNIQUE,
        date TEXT,
        date_raw TEXT,
        park_id TEXT REFERENCES parks(id),
        park_name TEXT,
        event TEXT,
        summary TEXT,
        {_PROVENANCE}
    )""",
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                 -- crawl | extract | diff | baseline
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,               -- running | ok | failed | interrupted
        sources TEXT,                       -- JSON list of slugs
        stats TEXT,                         -- JSON: per-source figures
        error TEXT
    )""",
    """CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        entity TEXT NOT NULL,               -- park | fact | policy | fund | document
        entity_key TEXT NOT NULL,
        change TEXT NOT NULL,               -- new | changed | vanished
        field TEXT,
        old TEXT,
        new TEXT,
        evidence TEXT,
        status TEXT NOT NULL DEFAULT 'pending',  -- pending | accepted | merged | rejected
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        change_id INTEGER NOT NULL REFERENCES changes(id),
        decision TEXT NOT NULL,             -- accept | merge | reject
        target_park_id TEXT REFERENCES parks(id),
        reviewer TEXT,
        note TEXT,
        at TEXT NOT NULL
    )""",
]


@migrations()
def m002_crawling(db: Database) -> None:
    for sql in _CRAWLING:
        db.execute(sql)


_CRAWLING = [
    """CREATE TABLE sources (
        slug TEXT PRIMARY KEY,
        kind TEXT,
        status TEXT NOT NULL DEFAULT 'new',   -- new | ok | empty | failing | challenge-protected
        status_detail TEXT,
        robots TEXT,                          -- robots.txt as last seen: ok 200 | missing 404 | error …
        backfill_complete INTEGER NOT NULL DEFAULT 0,  -- a full pagination finished once
        last_run INTEGER REFERENCES runs(id),
        last_ok TEXT,
        updated_at TEXT
    )""",
    """CREATE TABLE fetches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        method TEXT,
        status INTEGER,
        bytes INTEGER,
        duration_ms INTEGER,
        error TEXT,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX idx_fetches_run ON fetches(run_id, source)",
    "ALTER TABLE runs ADD COLUMN pid INTEGER",
    "ALTER TABLE documents ADD COLUMN published_precision TEXT",
    "ALTER TABLE documents ADD COLUMN list_title TEXT",
    "ALTER TABLE documents ADD COLUMN final_url TEXT",
    "ALTER TABLE documents ADD COLUMN fetched_at TEXT",
    "ALTER TABLE documents ADD COLUMN run_id INTEGER REFERENCES runs(id)",
    "CREATE INDEX idx_documents_source ON documents(source, published)",
]


@migrations()
def m003_fetch_outcomes(db: Database) -> None:
    # reason: why a URL was lost (HTTP 500, timeout, redirect loop, off-origin redirect …);
    # final: this row records how the URL ended (one per URL and run), the others are attempts
    db.execute("ALTER TABLE fetches ADD COLUMN reason TEXT")
    db.execute("ALTER TABLE fetches ADD COLUMN final INTEGER NOT NULL DEFAULT 0")


@migrations()
def m004_url_failures(db: Database) -> None:
    # a URL that could not be stored is remembered: retried on later runs with a growing
    # interval instead of the whole retry ladder every run, and `gone` after repeated failures
    db.execute("""CREATE TABLE url_failures (
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        failures INTEGER NOT NULL,          -- consecutive final failures
        reason TEXT,                        -- the last one's
        status TEXT NOT NULL,               -- failing | gone
        first_failed TEXT NOT NULL,
        last_failed TEXT NOT NULL,
        next_try TEXT NOT NULL,             -- not requested again before this time
        PRIMARY KEY (source, url)
    )""")


@migrations()
def m005_facts_from_documents(db: Database) -> None:
    """Parks, policies and funds found in crawled documents, each with its evidence. Rows that a
    person decided on (a candidate's status, a fact's review status) are never rewritten by
    the extraction: it only adds, updates its own undecided rows, or marks them superseded."""
    for sql in _FACTS_FROM_DOCUMENTS:
        db.execute(sql)


_FACTS_FROM_DOCUMENTS = [
    "ALTER TABLE documents ADD COLUMN class TEXT",            # park_event | policy | fund | pilot_zone | …
    "ALTER TABLE documents ADD COLUMN class_reason TEXT",     # JSON {scores, reasons}
    "ALTER TABLE documents ADD COLUMN extracted_at TEXT",
    "ALTER TABLE documents ADD COLUMN extractor_version TEXT",
    """CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        candidate_key TEXT NOT NULL UNIQUE,  -- province | city | name without its leading places
        name TEXT NOT NULL,
        province TEXT,
        city TEXT,
        district TEXT,
        type TEXT,
        status TEXT NOT NULL DEFAULT 'new',  -- new | accepted | merged | rejected: set by review only
        park_id TEXT REFERENCES parks(id),   -- the park it became or joined
        score REAL,                          -- best similarity to a known park
        features TEXT,                       -- JSON: the resolver's evidence per feature
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        extractor_version TEXT
    )""",
    """CREATE TABLE candidate_aliases (
        id INTEGER PRIMARY KEY,
        candidate_id INTEGER NOT NULL REFERENCES candidates(id),
        alias TEXT NOT NULL,
        alias_key TEXT NOT NULL,
        UNIQUE (candidate_id, alias)
    )""",
    """CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        entity INTEGER NOT NULL,             -- which park of the document (0, 1, …)
        start INTEGER NOT NULL,              -- span in title + "\\n" + body
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        park_id TEXT REFERENCES parks(id),
        candidate_id INTEGER REFERENCES candidates(id),
        type TEXT, province TEXT, city TEXT, district TEXT, role TEXT,
        event TEXT, event_date TEXT, event_precision TEXT,
        gov_led INTEGER, gov_led_evidence TEXT,
        method TEXT, score REAL, features TEXT,
        snippet TEXT,
        extractor_version TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX idx_mentions_document ON mentions(document_id)",
    "CREATE INDEX idx_mentions_park ON mentions(park_id)",
    "CREATE INDEX idx_mentions_candidate ON mentions(candidate_id)",
    # facts: a park's or a candidate's; valid time (effective_date) and recorded time (first_seen
    # … superseded_at) kept apart, so what was known on a date can be asked later
    """CREATE TABLE facts_v2 (
        id INTEGER PRIMARY KEY,
        fact_key TEXT NOT NULL,
        park_id TEXT REFERENCES parks(id),
        candidate_id INTEGER REFERENCES candidates(id),
        field TEXT NOT NULL,
        value, low, high,
        unit TEXT, qualifier TEXT, precision TEXT, tranche, label TEXT,
        raw TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        source_ref TEXT NOT NULL,
        document_id INTEGER REFERENCES documents(id),
        start INTEGER, end INTEGER,
        evidence TEXT,
        effective_date TEXT,
        status TEXT NOT NULL DEFAULT 'detected',   -- baseline | detected | accepted | rejected
        extractor_version TEXT,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        superseded_at TEXT,
        CHECK (park_id IS NOT NULL OR candidate_id IS NOT NULL)
    )""",
    """INSERT INTO facts_v2 (id, fact_key, park_id, field, value, low, high, unit, qualifier, precision, tranche,
        label, raw, source_kind, source_ref, document_id, evidence, effective_date, status, content_hash,
        first_seen, last_seen)
       SELECT id, fact_key, park_id, field, value, low, high, unit, qualifier, precision, tranche, label, raw,
        source_kind, source_ref, document_id, evidence, effective_date,
        CASE source_kind WHEN 'baseline' THEN 'baseline' ELSE 'detected' END, content_hash, first_seen, last_seen
       FROM facts""",
    "DROP TABLE facts",
    "ALTER TABLE facts_v2 RENAME TO facts",
    "CREATE UNIQUE INDEX idx_facts_key ON facts(fact_key) WHERE superseded_at IS NULL",
    "CREATE INDEX idx_facts_park ON facts(park_id, field)",
    "CREATE INDEX idx_facts_candidate ON facts(candidate_id, field)",
    "CREATE INDEX idx_facts_document ON facts(document_id)",
    "ALTER TABLE policies ADD COLUMN level TEXT",
    "ALTER TABLE policies ADD COLUMN region TEXT",
    "ALTER TABLE policies ADD COLUMN status TEXT",
    "ALTER TABLE policies ADD COLUMN period TEXT",
    "ALTER TABLE policies ADD COLUMN measures TEXT",          # JSON list of {what, amount, unit, qualifier, raw}
    "ALTER TABLE policies ADD COLUMN extractor_version TEXT",
    """CREATE TABLE policy_documents (
        id INTEGER PRIMARY KEY,
        policy_id INTEGER NOT NULL REFERENCES policies(id),
        document_id INTEGER NOT NULL REFERENCES documents(id),
        status TEXT, start INTEGER, end INTEGER, snippet TEXT,
        UNIQUE (policy_id, document_id)
    )""",
    "ALTER TABLE funds ADD COLUMN candidate_id INTEGER REFERENCES candidates(id)",
    "ALTER TABLE funds ADD COLUMN sponsors TEXT",             # JSON list
    "ALTER TABLE funds ADD COLUMN government_share REAL",
    "ALTER TABLE funds ADD COLUMN region TEXT",
    "ALTER TABLE funds ADD COLUMN extractor_version TEXT",
    """CREATE TABLE fund_documents (
        id INTEGER PRIMARY KEY,
        fund_id INTEGER NOT NULL REFERENCES funds(id),
        document_id INTEGER NOT NULL REFERENCES documents(id),
        start INTEGER, end INTEGER, snippet TEXT,
        UNIQUE (fund_id, document_id)
    )""",
]


@migrations()
def m006_monitoring(db: Database) -> None:
    """The monitoring loop: changes recorded per run, review decisions (with what they changed,
    so they can be undone), source-health alerts, documents that vanished."""
    for sql in _MONITORING:
        db.execute(sql)


_MONITORING = [
    "ALTER TABLE changes ADD COLUMN first_seen TEXT",
    "ALTER TABLE changes ADD COLUMN change_key TEXT",       # entity|key|field|change|new: one row per change
    "CREATE UNIQUE INDEX idx_changes_key ON changes(change_key)",
    "CREATE INDEX idx_changes_run ON changes(run_id)",
    "ALTER TABLE documents ADD COLUMN gone_at TEXT",        # answered 404/410 on a re-fetch
    "ALTER TABLE candidates ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0",   # new evidence after a rejection
    "ALTER TABLE candidates ADD COLUMN reviewed_at TEXT",
    """CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,                 -- candidate | fact
        target_id INTEGER NOT NULL,         -- candidates.id or facts.id
        action TEXT NOT NULL,               -- accept | merge | reject | edit | undo
        park_id TEXT,                       -- the park made (accept) or joined (merge); no foreign key: the
                                            -- park an undone accept removed stays named here
        reviewer TEXT NOT NULL,
        reason TEXT,
        before TEXT NOT NULL,               -- JSON: the rows as they were, for undo
        after TEXT,
        at TEXT NOT NULL,
        undone_at TEXT,
        undo_of INTEGER REFERENCES decisions(id)
    )""",
    "CREATE INDEX idx_decisions_target ON decisions(kind, target_id)",
    """CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- zero-items | drop | failing | challenge | encoding | coverage
        message TEXT NOT NULL,
        first_run INTEGER REFERENCES runs(id),
        last_run INTEGER REFERENCES runs(id),
        first_at TEXT NOT NULL,
        last_at TEXT NOT NULL,
        times INTEGER NOT NULL DEFAULT 1,
        resolved_at TEXT
    )""",
    "CREATE INDEX idx_alerts_open ON alerts(source, kind, resolved_at)",
]


@migrations()
def m007_schedule_job_runs(db: Database) -> None:
    """The scheduler's record: one row per time a scheduled job ran or could not run (db/jobs.py)."""
    for sql in _SCHEDULE:
        db.execute(sql)


_SCHEDULE = [
    """CREATE TABLE job_runs (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL,               -- crawl:<slug> | cycle
        source TEXT,                        -- the slug of a crawl job
        scheduled_for TEXT,                 -- the run time it fired for (missed runs)
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,               -- running | ok | failed | interrupted | timeout | locked | missed | …
        exit_code INTEGER,                  -- the command's; negative: killed by that signal
        timed_out INTEGER NOT NULL DEFAULT 0,
        pid INTEGER,                        -- the scheduler's process
        child_pid INTEGER,
        command TEXT,                       -- JSON argv
        stderr_tail TEXT                    -- the end of the command's stderr, or why it did not start
    )""",
    "CREATE INDEX idx_job_runs_job ON job_runs(job_id, id)",
]


@migrations()
def m008_review_queue_indexes(db: Database) -> None:
    """The review queue reads current rows only: indexes for the new values waiting for a decision,
    a candidate's current figures, and the best-resolved mention of a park in a document."""
    db.execute("CREATE INDEX idx_facts_current_status ON facts(status, id) WHERE superseded_at IS NULL")
    db.execute("CREATE INDEX idx_facts_current_candidate ON facts(candidate_id, field) WHERE superseded_at IS NULL")
    db.execute("CREATE INDEX idx_mentions_park_document ON mentions(park_id, document_id, score)")


@migrations()
def m009_current_text_once(db: Database) -> None:
    """The current version's text lives in documents.body only: its document_versions row drops
    its copy (older versions keep theirs)."""
    db.execute("UPDATE document_versions SET body = NULL WHERE body IS NOT NULL AND EXISTS (SELECT 1 FROM documents d "
               "WHERE d.id = document_versions.document_id AND d.version_count = document_versions.version)")

-- The catalog: one row per article added to the show.
CREATE TABLE episodes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,              -- never changes once published
    slug TEXT NOT NULL UNIQUE,              -- file name stem under output/episodes/
    source TEXT NOT NULL,                   -- the path or URL it was added from
    source_hash TEXT NOT NULL UNIQUE,       -- of the article as read: the same article is added once
    article TEXT NOT NULL,                  -- the article as JSON, so renders never need the source again
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rendered', 'failed')),
    error TEXT,
    file TEXT,                              -- path inside output/
    bytes INTEGER,
    duration REAL,
    voice TEXT,                             -- engine/voice that read it
    timeline TEXT,                          -- JSON: captions and chapters with their times
    added_at TEXT NOT NULL,
    published_at TEXT,                      -- set by the first successful render, then kept
    rendered_at TEXT
);
CREATE INDEX episodes_status ON episodes (status);

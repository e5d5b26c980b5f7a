-- Facts about the show that must never change once published (podcast:guid, creation time).
CREATE TABLE show_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

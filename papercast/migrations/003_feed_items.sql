-- Items taken from source feeds by `papercast sync`, remembered so that none is ever added twice,
-- not even after its episode was removed.
CREATE TABLE feed_items (
    id INTEGER PRIMARY KEY,
    feed TEXT NOT NULL,                     -- the source feed's address, as given
    guid TEXT NOT NULL,                     -- the item's id in that feed
    link TEXT,                              -- the item's article page: the same story in two feeds is one
    episode_id INTEGER,                     -- the episode it became (it may since have been removed)
    taken_at TEXT NOT NULL,
    UNIQUE (feed, guid)
);
CREATE INDEX feed_items_link ON feed_items (link);

-- The same article reached twice (a link added by hand, then found again by sync) is one episode.
CREATE INDEX episodes_url ON episodes (json_extract(article, '$.url'));

"""One family of expected failures; the CLI boundary prints them as one line and exits 1."""
from articles.errors import ArticleError
from audio.errors import AudioError
from feeds.errors import FeedError


class PapercastError(Exception):
    """A failure the user can fix; the message says how."""


# Everything the CLI reports as `error: …` rather than a traceback.
USER_ERRORS = (PapercastError, ArticleError, AudioError, FeedError)

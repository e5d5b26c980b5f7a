class ArticleError(Exception):
    """An article could not be read. The message names the problem and how to fix it."""

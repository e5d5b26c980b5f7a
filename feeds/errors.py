class FeedError(Exception):
    """The feed or its assets could not be built. The message names the problem and the fix."""

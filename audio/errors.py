class AudioError(Exception):
    """Synthesis or encoding failed. The message names the problem and how to fix it."""

class AudioError(Exception):
    """Synthesis or encoding failed. The message names the problem and how to fix it."""


class EngineUnavailable(AudioError):
    """The engine cannot synthesise on this machine at all (not installed, no voice): every episode
    asking for it would fail the same way."""

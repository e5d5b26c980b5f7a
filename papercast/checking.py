"""`papercast check`: lint a published feed (the show's own, a file, or a URL) with feeds.check."""
from __future__ import annotations

from pathlib import Path

from papercast.errors import PapercastError


def fetch_head(url: str):
    import httpx

    response = httpx.head(url, follow_redirects=True, timeout=15)
    response.raise_for_status()
    return response.headers


def check_target(target: str | None, show_option: str | None, *, loudness: bool = True) -> tuple[str, list]:
    """(what was checked, findings). Local feeds are checked against their files, remote ones with HEAD."""
    from audio.measure import loudness_and_true_peak
    from feeds.check import check

    measure = loudness_and_true_peak if loudness else None
    if target and target.startswith(("http://", "https://")):
        import httpx

        try:
            response = httpx.get(target, follow_redirects=True, timeout=20)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise PapercastError(f"could not fetch {target} ({error}): check the address and your connection") from None
        return target, check(response.content, fetch_head=fetch_head)
    if target:
        path = Path(target)
    else:
        from papercast.show import open_show

        show = open_show(show_option)
        path = show.output / "feed.xml"
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        raise PapercastError(f"{path}: no feed there: run `papercast render` first, or give the feed's path") from None
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return shown, check(data, output_dir=path.parent.resolve(), measure=measure)


def summary(findings: list) -> str:
    counts = {severity: sum(f.severity == severity for f in findings) for severity in ("error", "warning", "info")}
    plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
    return f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {plural(counts['info'], 'note')}"

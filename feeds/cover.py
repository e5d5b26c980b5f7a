"""Show artwork: a generated cover when none is given, and Apple's rules for any cover."""
from __future__ import annotations

import colorsys
import hashlib
import io
import threading
from concurrent.futures import Future
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from feeds.errors import FeedError
from feeds.files import write_if_changed
from feeds.text import one_line

MIN_SIDE, MAX_SIDE = 1400, 3000
MAX_BYTES = 512 * 1024
COVER_NAMES = {"JPEG": "cover.jpg", "PNG": "cover.png"}
_FIX = "or remove `cover` from papercast.toml to get a generated one"


def generate_cover(title: str, path: Path, size: int = MAX_SIDE) -> None:
    """Write a square RGB JPEG of `size` px showing `title` over a gradient (unchanged file untouched)."""
    write_if_changed(path, cover_bytes(title, size))


def draw_ahead(title: str, size: int = MAX_SIDE) -> None:
    """Start drawing `title`'s cover in a background thread, for the next `cover_bytes` of that title to
    take instead of drawing it then: a render starts it so that the few tenths of a second of drawing
    overlap synthesis rather than follow it."""
    key = (title, size)
    with _ahead_lock:
        if key in _ahead:
            return
        _ahead[key] = drawing = Future()

    def draw() -> None:
        try:
            drawing.set_result(_draw(title, size))
        except BaseException as error:  # raised again where the cover is wanted
            drawing.set_exception(error)

    # Imported here, not in the thread: a package imported by two threads at once can be seen half
    # initialised ("partially initialized module numpy"), and the render imports numpy meanwhile.
    import numpy  # noqa: F401

    threading.Thread(target=draw, name="cover", daemon=True).start()


_ahead: dict[tuple[str, int], Future] = {}
_ahead_lock = threading.Lock()


def cover_bytes(title: str, size: int = MAX_SIDE) -> bytes:
    """The generated cover as JPEG bytes; the same title always gives the same picture."""
    with _ahead_lock:
        drawing = _ahead.pop((title, size), None)
    return drawing.result() if drawing is not None else _draw(title, size)


def _draw(title: str, size: int) -> bytes:
    image = _gradient(title, size)
    _draw_title(image, one_line(title) or "Podcast")
    for quality in (90, 80, 70, 60):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True)
        if buffer.tell() <= MAX_BYTES:
            break
    return buffer.getvalue()


def check_cover(path: Path) -> None:
    """Raise FeedError naming the problem unless `path` is artwork Apple Podcasts accepts."""
    name = path.name
    try:
        with Image.open(path) as image:
            image_format, mode, (width, height) = image.format, image.mode, image.size
    except FileNotFoundError:
        raise FeedError(f"cover {path} does not exist; fix the `cover` path in papercast.toml {_FIX}") from None
    except (UnidentifiedImageError, OSError):
        raise FeedError(f"{name} is not a readable image; export it as JPEG or PNG {_FIX}") from None
    if image_format not in COVER_NAMES:
        raise FeedError(f"{name} is a {image_format} image: Apple needs JPEG or PNG; convert it {_FIX}")
    if path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
        raise FeedError(f"{name} does not end in .jpg or .png, which Apple requires of the URL; rename it")
    if width != height or not MIN_SIDE <= width <= MAX_SIDE:
        raise FeedError(f"{name} is {width}×{height} px: Apple needs a square image of "
                        f"{MIN_SIDE}–{MAX_SIDE} px; resize it {_FIX}")
    if mode != "RGB":
        raise FeedError(f"{name} is in {mode} mode: Apple needs RGB without transparency; "
                        f"save it as RGB {_FIX}")


def ensure_cover(output: Path, title: str, given: Path | None) -> str:
    """Publish the cover into `output` and return its file name there.

    A given cover is checked and copied as cover.jpg or cover.png; without one, cover.jpg is
    generated from the title. The other name is removed so an old cover never lingers.
    """
    if given is not None:
        check_cover(given)
        with Image.open(given) as image:
            name = COVER_NAMES[image.format]
        write_if_changed(output / name, given.read_bytes())
    else:
        name = COVER_NAMES["JPEG"]
        generate_cover(title, output / name)
    for stale in set(COVER_NAMES.values()) - {name}:
        (output / stale).unlink(missing_ok=True)
    return name


def _gradient(title: str, size: int) -> Image.Image:
    import numpy as np  # only to draw: checking a cover (every render) needs just Pillow

    # A hue picked from the title: each show gets its own colour, the same one on every run.
    hue = hashlib.sha256(title.encode("utf-8", "surrogatepass")).digest()[0] / 255
    dark = np.array(colorsys.hsv_to_rgb(hue, 0.65, 0.22))
    light = np.array(colorsys.hsv_to_rgb((hue + 0.09) % 1.0, 0.55, 0.62))
    ramp = np.linspace(0.0, 1.0, size, dtype=np.float32)
    # Through a 256-colour ramp: full-size float RGB arrays of a 3000 px cover took 500 MB at the peak.
    steps = np.rint((ramp[:, None] * 0.65 + ramp[None, :] * 0.35) * 255).astype(np.uint8)
    colours = ((dark + (light - dark) * (np.arange(256) / 255)[:, None]) * 255).round().astype(np.uint8)
    return Image.fromarray(colours[steps], "RGB")


def _draw_title(image: Image.Image, title: str) -> None:
    size = image.width
    box = size * 0.78
    font_size, lines = _fit(title, box)
    font = ImageFont.load_default(size=font_size)
    line_height = font_size * 1.2
    top = (size - line_height * len(lines)) / 2
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((size / 2, top + line_height * (index + 0.5)), line, font=font, anchor="mm",
                  fill=(255, 255, 255))
    # A short rule under the title gives the composition a base, like a book cover.
    rule_top = top + line_height * len(lines) + font_size * 0.4
    draw.rectangle((size * 0.44, rule_top, size * 0.56, rule_top + size * 0.008), fill=(255, 255, 255))


def _fit(title: str, box: float) -> tuple[int, list[str]]:
    """The largest font size whose word-wrapped title fits a `box`-wide square."""
    font_size = int(box / 4)
    while True:
        font = ImageFont.load_default(size=font_size)
        lines = _wrap(title, font, box)
        tall_enough = len(lines) * font_size * 1.2 <= box * 0.8
        if (tall_enough and all(font.getlength(line) <= box for line in lines)) or font_size <= 24:
            return font_size, lines
        font_size = int(font_size * 0.9)


def _wrap(title: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in title.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines

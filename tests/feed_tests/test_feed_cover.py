from __future__ import annotations

import pytest
from PIL import Image

from feeds.cover import MAX_BYTES, check_cover, cover_bytes, ensure_cover, generate_cover
from feeds.errors import FeedError


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("cover") / "cover.jpg"
    generate_cover("Papers Read Aloud: a very long show title that has to wrap onto lines", path)
    return path


def test_generated_cover_is_what_apple_wants(generated):
    with Image.open(generated) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (3000, 3000))
        centre = image.getpixel((1500, 1500))
        corner = image.getpixel((5, 5))
    assert generated.stat().st_size <= MAX_BYTES
    check_cover(generated)
    assert centre != corner  # something (the title) is drawn over the gradient


def test_generated_cover_is_reproducible_and_differs_by_title():
    assert cover_bytes("Show A", 1400) == cover_bytes("Show A", 1400)
    assert cover_bytes("Show A", 1400) != cover_bytes("Show B", 1400)


def test_hostile_title_still_renders():
    assert cover_bytes("\x00\ud800 🎙️ ]]> " + "Unbreakablewordwithoutanyspaces" * 4, 1400)


def save(path, size, mode="RGB", image_format=None):
    Image.new(mode, size).save(path, image_format)
    return path


@pytest.mark.parametrize("name, size, mode, image_format, problem", [
    ("cover.png", (800, 800), "RGB", "PNG", r"cover.png is 800×800 px: Apple needs a square image of 1400–3000 px"),
    ("cover.png", (3200, 3200), "RGB", "PNG", "3200×3200"),
    ("cover.jpg", (1400, 1500), "RGB", "JPEG", "1400×1500"),
    ("cover.png", (1400, 1400), "RGBA", "PNG", "RGBA mode: Apple needs RGB"),
    ("cover.jpg", (1400, 1400), "CMYK", "JPEG", "CMYK mode"),
    ("cover.gif", (1400, 1400), "P", "GIF", "GIF image: Apple needs JPEG or PNG"),
    ("cover.jpeg.webp", (1400, 1400), "RGB", "WEBP", "WEBP image"),
])
def test_check_cover_names_the_problem(tmp_path, name, size, mode, image_format, problem):
    path = save(tmp_path / name, size, mode, image_format)
    with pytest.raises(FeedError, match=problem) as error:
        check_cover(path)
    assert "\n" not in str(error.value)


def test_check_cover_wrong_extension_and_unreadable(tmp_path):
    with pytest.raises(FeedError, match="does not end in .jpg or .png"):
        check_cover(save(tmp_path / "cover.img", (1400, 1400), image_format="PNG"))
    (tmp_path / "cover.jpg").write_text("not an image")
    with pytest.raises(FeedError, match="not a readable image"):
        check_cover(tmp_path / "cover.jpg")
    with pytest.raises(FeedError, match="does not exist"):
        check_cover(tmp_path / "missing.jpg")


def test_ensure_cover_copies_a_given_cover_and_drops_the_generated_one(tmp_path):
    output = tmp_path / "output"
    assert ensure_cover(output, "Show", None) == "cover.jpg"
    given = save(tmp_path / "art.png", (1400, 1400), image_format="PNG")
    assert ensure_cover(output, "Show", given) == "cover.png"
    assert (output / "cover.png").read_bytes() == given.read_bytes()
    assert not (output / "cover.jpg").exists()


def test_ensure_cover_leaves_an_unchanged_cover_untouched(tmp_path):
    ensure_cover(tmp_path, "Show", None)
    before = (tmp_path / "cover.jpg").stat().st_mtime_ns
    ensure_cover(tmp_path, "Show", None)
    assert (tmp_path / "cover.jpg").stat().st_mtime_ns == before


def test_ensure_cover_refuses_a_bad_given_cover(tmp_path):
    with pytest.raises(FeedError, match="800×800"):
        ensure_cover(tmp_path, "Show", save(tmp_path / "small.jpg", (800, 800), image_format="JPEG"))


def test_a_cover_drawn_ahead_is_taken_instead_of_drawing_again(monkeypatch):
    import threading

    from feeds import cover

    monkeypatch.setattr(cover, "_ahead", {})  # none left over from another test's render
    drawn_by = []
    draw = cover._draw

    def recording(title, size):
        drawn_by.append(threading.current_thread().name)
        return draw(title, size)

    monkeypatch.setattr(cover, "_draw", recording)
    cover.draw_ahead("Show Ahead", 1400)
    cover.draw_ahead("Show Ahead", 1400)  # already on its way: not drawn twice
    assert cover_bytes("Show Ahead", 1400) == draw("Show Ahead", 1400)
    assert drawn_by == ["cover"]
    cover_bytes("Show Ahead", 1400)  # the drawing ahead served one call; later ones draw
    assert drawn_by == ["cover", "MainThread"]

import stat

import pytest

from papercast import token
from papercast.errors import PapercastError


def test_a_show_without_a_token_file_is_public(tmp_path):
    assert token.current(tmp_path) is None


def test_rotate_writes_a_token_only_the_owner_can_read(tmp_path):
    written = token.rotate(tmp_path)

    assert token.current(tmp_path) == written
    assert len(written) == 32
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["token"]  # no temporary file left behind


def test_rotate_replaces_the_old_token(tmp_path):
    first = token.rotate(tmp_path)
    second = token.rotate(tmp_path)

    assert first != second
    assert token.current(tmp_path) == second


@pytest.mark.parametrize("content", ["", "short", "has/slash" * 5, "é" * 40])
def test_a_damaged_token_file_names_the_fix(tmp_path, content):
    (tmp_path / "token").write_text(content, encoding="utf-8")

    with pytest.raises(PapercastError, match="papercast token rotate"):
        token.current(tmp_path)

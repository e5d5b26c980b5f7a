from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from feeds.model import Caption, Chapter, Episode, Show

BASE_URL = "https://example.com/pod"


def _show(**changes) -> Show:
    show = Show(title="Papers Read Aloud", base_url=BASE_URL, description="Long reads, spoken.",
                author="Ada Reader", email="ada@example.com", language="en", category="News",
                subcategory="Tech News", image="cover.jpg")
    return dataclasses.replace(show, **changes)


def _episode(number: int = 1, **changes) -> Episode:
    episode = Episode(
        guid=f"urn:papercast:{number}", number=number, slug=f"episode-{number}",
        title=f"Episode {number}", published_at=datetime(2024, 3, number, 8, 30, tzinfo=timezone.utc),
        audio=f"episodes/episode-{number}.mp3", bytes=1000 + number, duration=61.6 + number,
        description=f"About thing {number}.", link=f"https://news.example.org/{number}",
        author="Byline Person", voice="fake/robot",
        captions=(Caption(0.0, 2.0, "First sentence."), Caption(2.0, 4.5, "Second sentence.")),
        chapters=(Chapter(0.0, "Intro"), Chapter(2.0, "Body", "https://news.example.org/body")),
    )
    return dataclasses.replace(episode, **changes)


@pytest.fixture
def make_show():
    return _show


@pytest.fixture
def make_episode():
    return _episode


@pytest.fixture
def show() -> Show:
    return _show()


@pytest.fixture
def episodes() -> list[Episode]:
    return [_episode(1), _episode(3), _episode(2)]

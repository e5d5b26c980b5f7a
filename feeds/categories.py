"""Apple Podcasts categories (https://podcasters.apple.com/support/1691-apple-podcasts-categories)."""
from __future__ import annotations

import difflib

from feeds.errors import FeedError

APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
        "Home & Garden", "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
        "Sports News", "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
        "Natural Sciences", "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
        "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness", "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}


def category_problem(category: str, subcategory: str | None) -> str | None:
    """Why Apple would refuse this category pair (one line naming the fix), or None when it is valid."""
    if category not in APPLE_CATEGORIES:
        return (f"category {category!r} is not an Apple Podcasts category; "
                f"{_suggest(category, APPLE_CATEGORIES)}")
    if subcategory is None or subcategory in APPLE_CATEGORIES[category]:
        return None
    if not APPLE_CATEGORIES[category]:
        return (f"category {category!r} has no subcategories; "
                f"remove subcategory {subcategory!r} from papercast.toml")
    return (f"subcategory {subcategory!r} is not in Apple's {category!r} category; "
            f"{_suggest(subcategory, APPLE_CATEGORIES[category])}")


def validate_category(category: str, subcategory: str | None) -> None:
    problem = category_problem(category, subcategory)
    if problem:
        raise FeedError(problem)


def _suggest(wrong: str, valid) -> str:
    by_lower = {name.lower(): name for name in valid}
    close = by_lower.get(wrong.strip().lower()) or next(
        iter(difflib.get_close_matches(wrong, list(valid), n=1, cutoff=0.5)), None)
    if close:
        return f"did you mean {close!r}? Set it in papercast.toml"
    return "pick one of: " + ", ".join(valid)

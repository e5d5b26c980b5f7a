"""Measure how well `articles.html.extract` finds the article on real pages.

    .venv/bin/python bench/extraction.py [CORPUS]      (default: ../shared/corpus from the repo root)

For each page of the corpus (folders holding source.html, expected.html, expected-metadata.json) it
prints token precision, recall and F1 of the extracted body against the text of expected.html, and
whether title and byline match, for papercast's extractor and, measured in the same run, for
trafilatura alone with its defaults. Then the means and the targets.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura

from articles.errors import ArticleError
from articles.html import extract

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
TARGET = "targets: mean F1 >= 0.975, no page below 0.93, title 10/10, byline >= 8/9"


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    title: bool
    byline: bool | None  # None when the page has no reference byline


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def overlap(found: str, expected: str) -> tuple[float, float, float]:
    got, want = tokens(found), tokens(expected)
    shared = sum((got & want).values())
    precision = shared / sum(got.values()) if got else 0.0
    recall = shared / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def same(found: str | None, expected: str | None, *, byline: bool = False) -> bool:
    def norm(value: str | None) -> str:
        value = re.sub(r"\s+", " ", value or "").strip().lower()
        return re.sub(r"^by\s+", "", value) if byline else value

    return norm(found) == norm(expected)


def score(text: str, title: str | None, author: str | None, expected_text: str, meta: dict) -> Score:
    reference_byline = meta.get("byline")
    return Score(
        *overlap(text, expected_text),
        title=same(title, meta.get("title")),
        byline=same(author, reference_byline, byline=True) if reference_byline else None,
    )


def ours(source: str, expected_text: str, meta: dict) -> Score:
    try:
        article = extract(source)
    except ArticleError:
        return score("", None, None, expected_text, meta)
    headings = [s.heading for s in article.sections if s.heading]
    return score(" ".join([*headings, article.text]), article.title, article.byline, expected_text, meta)


def trafilatura_alone(source: str, expected_text: str, meta: dict) -> Score:
    found = trafilatura.bare_extraction(source, with_metadata=True)
    if found is None:
        return score("", None, None, expected_text, meta)
    return score(found.text or "", found.title, found.author, expected_text, meta)


def main(corpus: Path) -> int:
    if not corpus.is_dir():
        print(f"no corpus at {corpus}: nothing to measure (it lives outside the repository)")
        return 0
    pages = sorted(p for p in corpus.iterdir() if (p / "source.html").is_file())
    results: dict[str, list[Score]] = {"papercast": [], "trafilatura": []}
    print(f"{'page':<18} {'extractor':<12} {'P':>6} {'R':>6} {'F1':>6}  title  byline")
    for page in pages:
        source = (page / "source.html").read_text(encoding="utf-8")
        expected_text = lxml.html.fromstring((page / "expected.html").read_text(encoding="utf-8")).text_content()
        meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        for name, measure in (("papercast", ours), ("trafilatura", trafilatura_alone)):
            result = measure(source, expected_text, meta)
            results[name].append(result)
            byline = "-" if result.byline is None else ("yes" if result.byline else "no")
            print(f"{page.name:<18} {name:<12} {result.precision:6.3f} {result.recall:6.3f} {result.f1:6.3f}"
                  f"  {'yes' if result.title else 'no':<5}  {byline}")
    print()
    for name, scores in results.items():
        count = len(scores)
        with_byline = [s for s in scores if s.byline is not None]
        print(f"{name:<12} mean P {sum(s.precision for s in scores) / count:.3f}"
              f"  R {sum(s.recall for s in scores) / count:.3f}"
              f"  F1 {sum(s.f1 for s in scores) / count:.3f}  min F1 {min(s.f1 for s in scores):.3f}"
              f"  title {sum(s.title for s in scores)}/{count}"
              f"  byline {sum(bool(s.byline) for s in with_byline)}/{len(with_byline)}")
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS))

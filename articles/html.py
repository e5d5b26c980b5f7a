"""A web page → `Article`: the story's own text and headings, without the page around it.

Two extractors read the page and vote. trafilatura is precise but sometimes keeps a trailing
"related stories" list or loses a paragraph; readability-lxml keeps the story's inner structure but
sometimes misses its opening. Where both find the same story, readability's blocks are the body,
trafilatura adds the prose paragraphs readability lost, and whatever only trafilatura found after
the story's last shared paragraph is dropped as page furniture. Metadata prefers what publishers
declare for machines (JSON-LD, Open Graph, <meta name=author>) over guesses from the layout.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from dateutil import parser as dateparser
from readability import Document

from articles.errors import ArticleError
from articles.model import Article, Section


@dataclass(frozen=True)
class Block:
    text: str
    heading: bool = False

    @property
    def key(self) -> str:
        return " ".join(words(self.text))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def extract(html: str, url: str | None = None) -> Article:
    """Extract the article from a page; ArticleError when the page holds no article text."""
    page_name = url or "the page"
    if not html.strip():
        raise _no_article(page_name)
    tree = _parse(html)
    _drop_captions(tree)
    cleaned = lxml.html.tostring(tree, encoding="unicode")
    meta = _Metadata(tree)

    found = trafilatura.extract(cleaned, url=url, output_format="xml", with_metadata=True,
                                include_comments=False, include_tables=False, include_images=False)
    found_tree = lxml.etree.fromstring(found.encode("utf-8")) if found else None
    precise = _trafilatura_blocks(found_tree)
    structured = _readability_blocks(cleaned, url)
    blocks = merge(precise, structured)

    found_meta = found_tree.attrib if found_tree is not None else {}
    title = meta.title() or _clean_title(found_meta.get("title"), meta.site()) or _first_heading(blocks)
    byline = meta.byline() or _clean_byline(found_meta.get("author"))
    blocks = _drop_boilerplate(blocks, title, byline)
    if _looks_like_no_article(blocks):
        raise _no_article(page_name)
    body_text = " ".join(b.text for b in blocks)
    return Article(
        title=title or "Untitled",
        sections=_sections(blocks),
        byline=byline,
        date=meta.date() or _iso_date(found_meta.get("date")),
        site=meta.site() or found_meta.get("sitename") or _host(url),
        language=meta.language() or guess_language(body_text),
        url=url,
    )


def _no_article(page_name: str) -> ArticleError:
    return ArticleError(f"no article text found in {page_name}: it may be a paywall, a login page or an "
                        "index; save the article as text and add that")


def _parse(html: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that declares its own encoding; the text is already decoded.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ArticleError(f"the page is not readable HTML ({error}): save the article as text and add that") from None


_CAPTION_CLASS = re.compile(r"caption|credit|share|social", re.IGNORECASE)


def _drop_captions(tree: lxml.html.HtmlElement) -> None:
    """Captions, image credits and share bars describe the page, not the story; nobody wants them read aloud."""
    for element in list(tree.iter("figcaption", "figure", "picture")):
        _remove(element)
    for element in list(tree.xpath("//body//*[@class or @id]")):
        marker = f"{element.get('class', '')} {element.get('id', '')}"
        # Only small elements: a container that merely mentions "share" in a class may hold the story.
        if _CAPTION_CLASS.search(marker) and len(element.text_content()) < 300:
            _remove(element)


def _remove(element: lxml.html.HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()


# ---------------------------------------------------------------- body blocks from each extractor

def _trafilatura_blocks(doc: lxml.etree._Element | None) -> list[Block]:
    if doc is None:
        return []
    main = doc.find("main")
    if main is None:
        return []
    blocks = []
    for line_break in main.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    for element in main.iter("head", "p", "item", "cell"):
        if element.tag == "p" and element.getparent().tag in ("item", "cell"):
            continue  # read as part of its list item or cell
        # Inline pieces join without spaces: a drop cap "<hi>Z</hi>imbabwe" is one word.
        text = _squash("".join(element.itertext()))
        if text:
            blocks.append(Block(text, heading=element.tag == "head"))
    return blocks


_BLOCK_TAGS = {"p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl",
               "dt", "dd", "table", "tr", "td", "th", "header", "footer", "aside", "br", "hr",
               "h1", "h2", "h3", "h4", "h5", "h6", "figure", "address", "center"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _readability_blocks(html: str, url: str | None) -> list[Block]:
    try:
        summary = Document(html, url=url).summary(html_partial=True)
    except Exception:  # readability raises bare Unparseable and lxml errors on odd pages; trafilatura still has a say
        return []
    if not summary.strip():
        return []
    blocks: list[Block] = []
    pending: list[str] = []

    def flush(heading: bool = False) -> None:
        text = _squash("".join(pending))
        pending.clear()
        if text:
            blocks.append(Block(text, heading=heading))

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _HEADINGS:
            flush()
            pending.append(element.text_content())
            flush(heading=True)
        elif tag in _BLOCK_TAGS:
            flush()
            if element.text:
                pending.append(element.text)
            for child in element:
                walk(child)
            flush()
        else:
            if tag and element.text:
                pending.append(element.text)
            if tag:
                for child in element:
                    walk(child)
        if element.tail:
            pending.append(element.tail)

    walk(lxml.html.fragment_fromstring(summary, create_parent="div"))
    flush()
    return blocks


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- combining the two

def merge(precise: list[Block], structured: list[Block]) -> list[Block]:
    """Combine trafilatura's blocks (`precise`) with readability's (`structured`), as the module says."""
    precise_size = sum(len(b.key.split()) for b in precise)
    structured_size = sum(len(b.key.split()) for b in structured)
    if not structured_size:
        return precise
    structured_text = f" {' '.join(b.key for b in structured)} "
    shared = sum(len(b.key.split()) for b in precise if f" {b.key} " in structured_text)
    if precise_size < 0.3 * structured_size and shared >= 0.8 * precise_size:
        return structured  # trafilatura found only a fragment of what readability found around it
    if shared < 0.5 * precise_size or structured_size > 1.5 * precise_size:
        return precise  # they disagree about where the story is; trust the more precise one
    matcher = difflib.SequenceMatcher(None, [b.key for b in precise], [b.key for b in structured],
                                      autojunk=False)
    opcodes = matcher.get_opcodes()
    last_shared = max((n for n, op in enumerate(opcodes) if op[0] == "equal"), default=-1)
    merged: list[Block] = []
    for n, (op, p_start, p_end, s_start, s_end) in enumerate(opcodes):
        if op in ("delete", "replace") and n < last_shared:
            merged += [b for b in precise[p_start:p_end]
                       if _is_prose(b) and f" {b.key} " not in structured_text]
        merged += structured[s_start:s_end]
    return merged


def _is_prose(block: Block) -> bool:
    """A sentence-like paragraph, as opposed to a date, a label or a link list."""
    return (not block.heading and len(block.key.split()) >= 12
            and block.text.rstrip()[-1:] in ".!?…\"”’)")


# ---------------------------------------------------------------- page furniture

_BOILERPLATE = re.compile(
    r"^(read more|continue reading|more:|related:|see also|also read|advertisement|sponsored|"
    r"share (this|on|via)|follow us|subscribe|sign up|newsletter|you must (log ?in|sign ?in|be logged)|"
    r"(log|sign) ?in to comment|\d[\d,]* comments?\b|comments?$|image (copyright|source|credit)|"
    r"(photo|image|picture|illustration)( credit)?s?:|credit:|getty images|click here|tap here|"
    r"copyright ©|© ?\d{4}|all rights reserved|originally published)",
    re.IGNORECASE,
)
_SHORT_BLOCK_WORDS = 30  # words; a long paragraph that opens with "Subscribe" is still prose


def _drop_boilerplate(blocks: list[Block], title: str | None, byline: str | None) -> list[Block]:
    title_key = " ".join(words(title or ""))
    byline_keys = {" ".join(words(byline or "")), " ".join(words(f"by {byline}"))} - {""}
    kept = []
    for block in _without_fragment_tail(blocks):
        if block.heading and _is_prose(Block(block.text)):
            block = Block(block.text)  # a whole sentence styled large is a standfirst, not a heading
        size = len(block.key.split())
        if not block.key:
            continue
        if size < _SHORT_BLOCK_WORDS and _BOILERPLATE.match(block.text):
            continue
        # The script announces title and byline itself; the page's copies would be read twice.
        if not kept and (block.key == title_key or block.key in byline_keys):
            continue
        kept.append(block)
    while kept and kept[-1].heading:
        kept.pop()  # a heading with nothing under it is the label of something removed
    return kept


def _without_fragment_tail(blocks: list[Block]) -> list[Block]:
    """A story ends with sentences. Headed fragments after its last full paragraph (plan names and
    prices, link lists) are a box beside the story; a plain list right after the text stays."""
    last_prose = max((n for n, b in enumerate(blocks) if _is_prose(b)), default=-1)
    tail_heading = next((n for n in range(last_prose + 1, len(blocks)) if blocks[n].heading), None)
    return blocks if tail_heading is None else blocks[:tail_heading]


_PAYWALL = re.compile(r"subscri|sign ?in|log ?in|members? only|premium|paywall|to continue reading|"
                      r"create an account|free trial", re.IGNORECASE)


def _looks_like_no_article(blocks: list[Block]) -> bool:
    text = " ".join(b.text for b in blocks if not b.heading)
    size = len(words(text))
    return size < 25 or (size < 150 and bool(_PAYWALL.search(text)))


def _sections(blocks: list[Block]) -> tuple[Section, ...]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for block in blocks:
        if block.heading:
            if paragraphs:
                sections.append(Section(heading, tuple(paragraphs)))
                paragraphs = []
                heading = block.text
            else:
                # Consecutive headings (a kicker over a title) read as one.
                heading = f"{heading}: {block.text}" if heading else block.text
        else:
            paragraphs.append(block.text)
    if paragraphs:
        sections.append(Section(heading, tuple(paragraphs)))
    return tuple(sections)


def _first_heading(blocks: list[Block]) -> str | None:
    return next((b.text for b in blocks if b.heading), None)


# ---------------------------------------------------------------- metadata

_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")


def _clean_title(title: str | None, site: str | None) -> str | None:
    if not title:
        return None
    title = _squash(title)
    parts = _SEPARATORS.split(title)
    if site and len(parts) > 1:
        site_key = " ".join(words(site)).replace(" ", "")
        for index in (-1, 0):
            if " ".join(words(parts[index])).replace(" ", "") == site_key:
                # Cut the site's name and the separator next to it, keep separators inside the headline.
                match = list(_SEPARATORS.finditer(title))[index]
                title = title[:match.start()] if index == -1 else title[match.end():]
                break
    return title.strip() or None


def _clean_byline(author: str | None) -> str | None:
    if not author:
        return None
    names: list[str] = []
    for name in re.split(r"\s*;\s*", author):
        name = _squash(re.sub(r"^by\s+", "", name.strip(), flags=re.IGNORECASE))
        if name and not name.startswith(("http://", "https://", "@")) and \
                name.lower() not in (n.lower() for n in names):
            names.append(name)
    if not names:
        return None
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dateparser.parse(value).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


class _Metadata:
    """What the page declares about itself, in the order publishers are most careful with."""

    def __init__(self, tree: lxml.html.HtmlElement):
        self.tree = tree
        self.meta: dict[str, str] = {}
        for element in tree.iter("meta"):
            name = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
            content = element.get("content")
            if name and content and content.strip() and name not in self.meta:
                self.meta[name] = content.strip()
        self.linked = _json_ld_articles(tree)

    def _ld(self, key: str):
        return next((item[key] for item in self.linked if item.get(key)), None)

    def title(self) -> str | None:
        headline = self._ld("headline")
        if isinstance(headline, str) and headline.strip():
            return _squash(headline)
        for name in ("og:title", "twitter:title"):
            if name in self.meta:
                return _clean_title(self.meta[name], self.site())
        return None

    def byline(self) -> str | None:
        names = _names(self._ld("author"))
        if names:
            return _clean_byline("; ".join(names))
        for name in ("author", "article:author", "og:article:author", "parsely-author", "dc.creator"):
            byline = _clean_byline(self.meta.get(name))
            if byline:
                return byline
        return None

    def date(self) -> str | None:
        for value in (self._ld("datePublished"), self.meta.get("article:published_time"),
                      self.meta.get("og:article:published_time")):
            if isinstance(value, str) and _iso_date(value):
                return _iso_date(value)
        return None

    def site(self) -> str | None:
        if "og:site_name" in self.meta:
            return self.meta["og:site_name"]
        names = _names(self._ld("publisher"))
        return names[0] if names else None

    def language(self) -> str | None:
        for value in (self.tree.get("lang"), self.tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
                      self.meta.get("content-language"), self.meta.get("og:locale"),
                      self._ld("inLanguage")):
            if isinstance(value, str) and re.match(r"^[A-Za-z]{2,3}\b", value.strip()):
                return re.split(r"[-_]", value.strip())[0].lower()
        return None


def _json_ld_articles(tree: lxml.html.HtmlElement) -> list[dict]:
    """JSON-LD objects that describe a creative work (they carry a headline)."""
    found: list[dict] = []

    def collect(node) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            if "headline" in node or "author" in node:
                found.append(node)
            collect(node.get("@graph", []))
            collect(node.get("mainEntity", []))

    for script in tree.xpath("//script[@type='application/ld+json']"):
        source = re.sub(r"<!\[CDATA\[|\]\]>|^\s*<!--|-->\s*$", "", script.text or "")
        try:
            collect(json.loads(source, strict=False))
        except ValueError:
            continue  # a broken block on the page is the publisher's problem, not the reader's
    return found


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


# ---------------------------------------------------------------- language

_STOPWORDS = {
    "en": "the and of to in is that it was for on are with as be this have from by not",
    "de": "der die und das ist nicht ein eine zu den mit sich auf für von dem des auch",
    "fr": "le la les et des est une pas que qui dans pour sur du au avec il elle ce",
    "es": "el la los las y de que en un una es por con para del se no lo como",
    "it": "il la di che è e un una per non con del della sono gli le si nel",
    "nl": "de het een en van is dat niet op te in zijn met voor er ook maar",
    "pt": "o a os as de que e do da em um uma para com não por se mais",
}
_STOPWORD_SETS = {lang: set(listed.split()) for lang, listed in _STOPWORDS.items()}


def guess_language(text: str) -> str:
    """The language whose commonest words occur most often; English when nothing stands out."""
    tokens = words(text)[:2000]
    scores = {lang: sum(t in stop for t in tokens) for lang, stop in _STOPWORD_SETS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 3 else "en"

"""Text that is safe to put in XML, HTML and caption files, whatever an article contained."""
from __future__ import annotations

import re

# XML 1.0 allows tab, LF, CR and the ranges below; everything else (C0 controls, lone surrogates,
# U+FFFE/U+FFFF) makes the document ill-formed. C1 controls are legal but never meant as text.
_NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """`text` without the characters XML cannot carry."""
    return _NOT_XML_TEXT.sub("", text)


def one_line(text: str) -> str:
    """`clean` text with every run of whitespace (newlines too) folded into one space."""
    return _SPACES.sub(" ", clean(text)).strip()

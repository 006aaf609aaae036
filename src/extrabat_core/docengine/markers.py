"""Finding ``[data.name]`` markers in the text of a paragraph split in pieces.

A format module (docx, odt) turns a paragraph into a list of *segments*: the
places that hold its visible text, in reading order — ``(element, "text")``
or ``(element, "tail")`` — and ``None`` for anything that is not plain text
(a tab, a line break, a field, a drawing, a note...). The text of all
segments is concatenated, separators become a character no marker contains,
and the regular expression runs on that. Each match is then written back:
the first segment of the match gets a slot token where the marker started,
the marker's other characters are removed from the segments they were in.
Nothing else is touched, so bookmarks, proofing marks, revision ids and field
characters between the pieces survive, and the value keeps the formatting of
the marker's first character. A paragraph is the unit: markers never span
paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

#: ``[data.name]``: letters (accented too), digits, underscore. Group 1 is the
#: name. Combining accents are accepted so that decomposed (NFD) text typed on
#: some systems matches; names are normalised to NFC.
MARKER_RE = re.compile(r"\[data\.([\w\u0300-\u036f]+)\]")
#: Something that starts like a marker but is not one (reported as malformed).
_STARTS_LIKE = re.compile(r"\[\s*data\s*\.", re.IGNORECASE)
SEPARATOR = "\x00"


def normalise_name(name: str) -> str:
    """The canonical (NFC) form of a marker name."""
    return unicodedata.normalize("NFC", name)


class Match:
    """One marker occurrence in a paragraph's concatenated text."""

    __slots__ = ("end", "holder", "name", "start", "token")

    def __init__(self, start, end, name):
        self.start = start
        self.end = end
        self.name = name
        self.token = None
        #: ``(element, attr)`` that holds the token once rewritten.
        self.holder = None


def paragraph_text(segments) -> tuple[str, list]:
    """Concatenate segments.

    :return: ``(text, spans)`` where spans are ``(start, end, element, attr)``
        for each non-empty text segment.
    """
    pieces = []
    spans = []
    position = 0
    for segment in segments:
        if segment is None:
            pieces.append(SEPARATOR)
            position += 1
            continue
        element, attr = segment
        value = element.text if attr == "text" else element.tail
        if value:
            pieces.append(value)
            spans.append((position, position + len(value), element, attr))
            position += len(value)
    return "".join(pieces), spans


def find_markers(text: str) -> list[Match]:
    """The markers of a paragraph's concatenated text."""
    if "[" not in text:
        return []
    return [
        Match(m.start(), m.end(), normalise_name(m.group(1)))
        for m in MARKER_RE.finditer(text)
    ]


def find_malformed(text: str) -> list[str]:
    """Snippets that start like a marker but are not one, e.g. ``[data.nom client]``."""
    if "[" not in text:
        return []
    found = []
    for start_match in _STARTS_LIKE.finditer(text):
        start = start_match.start()
        if MARKER_RE.match(text, start):
            continue
        end = text.find("]", start)
        stop = min(start + 40, len(text)) if end < 0 else min(end + 1, start + 40)
        snippet = text[start:stop].replace(SEPARATOR, "…")
        found.append(snippet)
    return found


def rewrite(spans, matches) -> list:
    """Put each match's token in its first segment and remove the marker text.

    :param spans: from :func:`paragraph_text`.
    :param matches: with ``token`` set.
    :return: ``(element, attr, holds_token)`` for every segment changed.
    """
    touched = []
    for start, end, element, attr in spans:
        overlapping = [m for m in matches if m.start < end and m.end > start]
        if not overlapping:
            continue
        value = element.text if attr == "text" else element.tail
        pieces = []
        cursor = start
        holds_token = False
        for match in overlapping:
            if match.start > cursor:
                pieces.append(value[cursor - start : match.start - start])
            if match.start >= start:
                pieces.append(match.token)
                match.holder = (element, attr)
                holds_token = True
            cursor = max(cursor, min(match.end, end))
        pieces.append(value[cursor - start :])
        new_value = "".join(pieces) or None
        if attr == "text":
            element.text = new_value
        else:
            element.tail = new_value
        touched.append((element, attr, holds_token))
    return touched

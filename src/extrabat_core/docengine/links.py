"""What a hyperlink in a template may open.

A hyperlink is text the reader clicks, in the generated PDF or document: it
may open a web page, an email address or a phone number, or jump inside the
document. Anything else is refused: a ``file:`` or UNC link (which leaks the
reader's Windows credentials to another host when clicked), a macro or
script URL (``vnd.sun.star.script:``, ``javascript:``), or a relative path,
which LibreOffice resolves against the server's working folder when it
exports the PDF.
"""

from __future__ import annotations

import re

from .errors import TemplateError

#: Schemes a hyperlink may use.
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(33))) + "\x7f"


def is_safe_hyperlink(target: str) -> bool:
    """Whether a hyperlink's target may stay in a document.

    The target is normalised as URL parsers read it (tabs and newlines
    dropped, control characters and spaces around it dropped) before its
    scheme is read.

    >>> is_safe_hyperlink("https://example.com"), is_safe_hyperlink("#Top")
    (True, True)
    >>> is_safe_hyperlink("file:///etc/passwd"), is_safe_hyperlink("../x.odt")
    (False, False)
    """
    value = _TAB_NEWLINE.sub("", target or "").strip(_C0_AND_SPACE)
    if not value:
        return True  # an empty link opens nothing
    if value.startswith("#"):
        return True
    match = _SCHEME.match(value)
    if not match or match.group(1).lower() not in ALLOWED_SCHEMES:
        return False
    # "http:\\host" and "http:/host" are read as network paths by some readers
    rest = value[match.end() :]
    return match.group(1).lower() in ("mailto", "tel") or rest.startswith("//")


def check_hyperlink(target: str, where: str) -> None:
    """:raise TemplateError: ``unsafe_link`` unless the target is safe."""
    if not is_safe_hyperlink(target):
        shown = _TAB_NEWLINE.sub("", target).strip(_C0_AND_SPACE)[:100]
        raise TemplateError("unsafe_link", detail=f"{shown} ({where})")

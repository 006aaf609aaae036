"""The catalogue of letter markers (``[data.name]``), framework-free.

Marker names are Extrabat's (French, lowercase, underscores) so that a
template written for Extrabat works unchanged. The addon
``extrabat_letters`` computes the values from Odoo records; this module
holds what needs no database: the names, their descriptions and groups (in
English; the addon translates them), and the small formatting helpers the
values are built with (address blocks, full names, SIRET grouping). The
example values are sample French data, not messages.

One marker per complementary question is added at run time:
``question_<code>`` (see :func:`question_marker`).

>>> MARKERS["nom_prenom_client"].group
'client'
>>> format_full_name("Monsieur", "Jean", "Dupont")
'Monsieur Jean Dupont'
>>> format_address_block(["12 rue des Lilas", "", "69100 Villeurbanne"])
'12 rue des Lilas\\n69100 Villeurbanne'
>>> format_siret("81234567800012")
'812 345 678 00012'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Prefix of the markers of complementary questions.
QUESTION_PREFIX = "question_"

#: Marker kinds: ``text`` (one line), ``multiline`` (lines separated by
#: ``"\\n"``), ``image`` (a picture), ``date``.
KINDS = ("text", "multiline", "image", "date")

#: Groups, in the order the marker picker shows them: code -> English label
#: (an application translates the labels itself).
GROUPS = {
    "client": "Client",
    "user": "Salesperson",
    "company": "Company",
    "letter": "Letter",
    "question": "Complementary questions",
}


@dataclass(frozen=True)
class MarkerDef:
    """One marker of the catalogue.

    :ivar name: the name typed in templates, without ``data.``.
    :ivar group: a key of :data:`GROUPS`.
    :ivar kind: one of :data:`KINDS`.
    :ivar label_en: short English description (an application translates
        it itself, keyed by ``name``).
    :ivar example: an example value, for the documentation and previews.
    """

    name: str
    group: str
    kind: str
    label_en: str
    example: str = ""

    @property
    def tag(self) -> str:
        """The marker as typed in a template: ``[data.name]``."""
        return f"[data.{self.name}]"


_M = MarkerDef

CATALOGUE: tuple[MarkerDef, ...] = (
    # --- client ---
    _M("nom_prenom_client", "client", "text", "Client's title, first and last name",
       "Monsieur Jean Dupont"),
    _M("civilite_client", "client", "text", "Client's title", "Monsieur"),
    _M("nom_client", "client", "text", "Client's name (last name for a person)",
       "Dupont"),
    _M("prenom_client", "client", "text", "Client's first name", "Jean"),
    _M("societe_client", "client", "text", "Client's company", "Dupont Rénovation"),
    _M("adresse_client", "client", "multiline",
       "Client's full postal address (several lines)",
       "12 rue des Lilas\n69100 Villeurbanne"),
    _M("rue_client", "client", "multiline", "Client's street (both lines)",
       "12 rue des Lilas"),
    _M("code_postal_client", "client", "text", "Client's postcode", "69100"),
    _M("ville_client", "client", "text", "Client's city", "Villeurbanne"),
    _M("pays_client", "client", "text", "Client's country (in the client's language)",
       "France"),
    _M("telephone_client", "client", "text", "Client's phone", "04 78 00 00 00"),
    _M("mobile_client", "client", "text", "Client's mobile phone (its phone when "
       "it is a mobile number)", "06 12 34 56 78"),
    _M("email_client", "client", "text", "Client's email", "jean.dupont@example.fr"),
    _M("code_client", "client", "text", "Client code", "C00042"),
    _M("statut_client", "client", "text", "Client status", "Client"),
    # --- letter ---
    _M("date_du_jour", "letter", "date", "Date of the letter (long format, "
       "client's language)", "6 janvier 2025"),
    _M("signature_client", "letter", "image", "Client's signature (once signed)"),
    _M("date_signature", "letter", "date", "Date of the signature", "6 janvier 2025"),
    # --- salesperson ---
    _M("suivi_par", "user", "text", "Salesperson following the client", "Paul Martin"),
    _M("email_utilisateur", "user", "text", "Salesperson's email",
       "paul.martin@example.fr"),
    _M("telephone_utilisateur", "user", "text", "Salesperson's phone",
       "06 98 76 54 32"),
    # --- company ---
    _M("nom_societe", "company", "text", "Your company's name",
       "Chauffage Martin SARL"),
    _M("adresse_societe", "company", "multiline", "Your company's address",
       "14 rue de la République\n69002 Lyon"),
    _M("telephone_societe", "company", "text", "Your company's phone",
       "04 72 00 00 00"),
    _M("email_societe", "company", "text", "Your company's email",
       "contact@example.fr"),
    _M("siret_societe", "company", "text", "Your company's SIRET", "812 345 678 00012"),
    _M("tva_societe", "company", "text", "Your company's VAT number", "FR12812345678"),
    _M("logo_societe", "company", "image", "Your company's logo"),
)  # fmt: skip

#: name -> :class:`MarkerDef`.
MARKERS: dict[str, MarkerDef] = {marker.name: marker for marker in CATALOGUE}

#: Markers whose value is a picture.
IMAGE_MARKERS = frozenset(m.name for m in CATALOGUE if m.kind == "image")

#: The marker of the client's signature and of its date.
SIGNATURE_MARKER = "signature_client"
SIGNATURE_DATE_MARKER = "date_signature"

_QUESTION_CODE = re.compile(r"^[a-z0-9_]+$")


def question_marker(code: str) -> str:
    """The marker name of a complementary question: ``question_<code>``.

    >>> question_marker("surface_habitable")
    'question_surface_habitable'
    """
    if not code or not _QUESTION_CODE.match(code):
        raise ValueError(f"invalid question code: {code!r}")
    return QUESTION_PREFIX + code


def known_names(question_codes: Iterable[str] = ()) -> set[str]:
    """Every valid marker name: the catalogue plus one per question code."""
    names = set(MARKERS)
    names.update(question_marker(code) for code in question_codes if code)
    return names


def unknown_names(names: Iterable[str], question_codes: Iterable[str] = ()) -> list:
    """The names of ``names`` that are neither in the catalogue nor a
    question's marker, in their order, without duplicates.

    >>> unknown_names(["nom_client", "nom_clien", "question_x"], ["x"])
    ['nom_clien']
    """
    known = known_names(question_codes)
    seen = []
    for name in names:
        if name not in known and name not in seen:
            seen.append(name)
    return seen


# === FORMATTING HELPERS ===


def _clean(value) -> str:
    if not value:
        return ""
    return " ".join(str(value).split())


def format_full_name(title: str | None, first: str | None, last: str | None) -> str:
    """``"Monsieur Jean Dupont"``; missing parts are skipped.

    >>> format_full_name(None, "", "Dupont SARL")
    'Dupont SARL'
    """
    return " ".join(part for part in map(_clean, (title, first, last)) if part)


def split_person_name(name: str | None) -> tuple[str, str]:
    """``(first name, last name)`` of a person's full name as typed in Odoo.

    Extrabat stores the last name first ("DUPONT Jean") when it is upper
    case; otherwise the last word is the last name ("Jean Dupont").

    >>> split_person_name("Jean Dupont")
    ('Jean', 'Dupont')
    >>> split_person_name("DUPONT Jean-Pierre")
    ('Jean-Pierre', 'DUPONT')
    >>> split_person_name("Dupont")
    ('', 'Dupont')
    """
    words = _clean(name).split(" ")
    words = [word for word in words if word]
    if len(words) < 2:
        return "", words[0] if words else ""
    upper = [word for word in words if word.isupper() and len(word) > 1]
    if upper and len(upper) < len(words) and words[0] in upper:
        last = [word for word in words if word in upper]
        first = [word for word in words if word not in upper]
        return " ".join(first), " ".join(last)
    return " ".join(words[:-1]), words[-1]


def format_street(street: str | None, street2: str | None) -> str:
    """Both street lines, one per line.

    >>> format_street("12 rue des Lilas", "Bâtiment B")
    '12 rue des Lilas\\nBâtiment B'
    """
    return format_address_block([street, street2])


def format_address_block(lines: Iterable[str | None]) -> str:
    """Non-empty lines joined with ``"\\n"``, each line's spaces squeezed
    (a value may itself hold several lines).

    >>> format_address_block(["12 rue des Lilas\\nBâtiment B", "69100 Lyon"])
    '12 rue des Lilas\\nBâtiment B\\n69100 Lyon'
    """
    cleaned = (
        _clean(part) for line in lines if line for part in str(line).splitlines()
    )
    return "\n".join(part for part in cleaned if part)


def format_city_line(zip_code: str | None, city: str | None) -> str:
    """``"69100 Villeurbanne"`` (French order: postcode first)."""
    return " ".join(part for part in map(_clean, (zip_code, city)) if part)


def format_siret(siret: str | None) -> str:
    """A 14-digit SIRET grouped as printed in France: ``812 345 678 00012``.

    Anything else is returned as typed (spaces squeezed).

    >>> format_siret("812 345 678 00012")
    '812 345 678 00012'
    >>> format_siret("ABC")
    'ABC'
    """
    digits = re.sub(r"\s", "", siret or "")
    if len(digits) == 14 and digits.isdigit():
        return f"{digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
    return _clean(siret)


def is_mobile_number(number: str | None) -> bool:
    """Whether a phone number is a French mobile number (06, 07, +33 6,
    +33 7, 0033 6...).

    >>> is_mobile_number("06 12 34 56 78"), is_mobile_number("+33 7 12 34 56 78")
    (True, True)
    >>> is_mobile_number("04 72 00 00 00")
    False
    """
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    return len(digits) == 10 and digits[:2] in ("06", "07")


def catalogue_rows() -> list[dict]:
    """The catalogue as rows for the documentation and the marker picker
    (labels in English).

    :return: ``[{"name", "tag", "group", "group_label", "kind", "label",
        "example"}]`` in catalogue order.
    """
    return [
        {
            "name": m.name,
            "tag": m.tag,
            "group": m.group,
            "group_label": GROUPS[m.group],
            "kind": m.kind,
            "label": m.label_en,
            "example": m.example,
        }
        for m in CATALOGUE
    ]


__all__ = [
    "CATALOGUE",
    "GROUPS",
    "IMAGE_MARKERS",
    "KINDS",
    "MARKERS",
    "QUESTION_PREFIX",
    "SIGNATURE_DATE_MARKER",
    "SIGNATURE_MARKER",
    "MarkerDef",
    "catalogue_rows",
    "format_address_block",
    "format_city_line",
    "format_full_name",
    "format_siret",
    "format_street",
    "is_mobile_number",
    "known_names",
    "question_marker",
    "split_person_name",
    "unknown_names",
]

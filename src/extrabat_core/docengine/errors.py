"""Errors of the document engine, each with a stable code and a message in
English and in French.

Every refusal of a template raises :class:`TemplateError` (a ``ValueError``);
every failure of the PDF conversion raises :class:`ConversionError` (a
``RuntimeError``). Callers show ``message_fr`` or ``message_en`` to the user
according to their language and may branch on ``code``; ``str(error)`` is the
English message.
"""

from __future__ import annotations

from typing import ClassVar

#: code -> (English, French). Messages are format strings over the keyword
#: arguments given to the error (sizes are pre-formatted strings).
TEMPLATE_MESSAGES: dict[str, tuple[str, str]] = {
    "empty_file": (
        "The file is empty.",
        "Le fichier est vide.",
    ),
    "file_too_large": (
        "The file is too large ({size}; at most {limit}).",
        "Le fichier est trop volumineux ({size} ; au plus {limit}).",
    ),
    "not_a_zip": (
        "This file is not a Word (.docx) or LibreOffice (.odt) document{hint}.",
        "Ce fichier n'est pas un document Word (.docx) ou LibreOffice (.odt){hint_fr}.",
    ),
    "ole_container": (
        (
            "This file is password-protected or in the old Word 97-2003 (.doc) "
            "format. Remove the password and save it as .docx or .odt."
        ),
        (
            "Ce fichier est protégé par un mot de passe ou au vieux format Word "
            "97-2003 (.doc). Retirez le mot de passe et enregistrez-le en .docx "
            "ou .odt."
        ),
    ),
    "corrupt_zip": (
        "The file is damaged (invalid archive: {detail}).",
        "Le fichier est endommagé (archive invalide : {detail}).",
    ),
    "too_many_entries": (
        "The document contains too many files ({count}; at most {limit}).",
        "Le document contient trop de fichiers ({count} ; au plus {limit}).",
    ),
    "uncompressed_too_large": (
        "The document is too large once uncompressed ({size}; at most {limit}).",
        (
            "Le document est trop volumineux une fois décompressé ({size} ; au plus "
            "{limit})."
        ),
    ),
    "compression_ratio": (
        (
            "The document looks like a zip bomb ({name} is compressed {ratio}:1; "
            "at most {limit}:1)."
        ),
        (
            "Le document ressemble à une bombe de décompression ({name} est "
            "compressé {ratio}:1 ; au plus {limit}:1)."
        ),
    ),
    "unsafe_path": (
        "The document contains a file with a forbidden path: {name}.",
        "Le document contient un fichier au chemin interdit : {name}.",
    ),
    "duplicate_entry": (
        "The document contains the file {name} twice.",
        "Le document contient deux fois le fichier {name}.",
    ),
    "encrypted": (
        (
            "The document is encrypted or password-protected. Remove the password "
            "and save it again."
        ),
        (
            "Le document est chiffré ou protégé par un mot de passe. Retirez le "
            "mot de passe et enregistrez-le à nouveau."
        ),
    ),
    "unsupported_compression": (
        "The document uses an unsupported compression method ({name}).",
        "Le document utilise une méthode de compression non prise en charge ({name}).",
    ),
    "unsupported_format": (
        (
            "Unsupported document type ({detail}). Use a Word (.docx) or "
            "LibreOffice Writer (.odt) document."
        ),
        (
            "Type de document non pris en charge ({detail_fr}). Utilisez un "
            "document Word (.docx) ou LibreOffice Writer (.odt)."
        ),
    ),
    "macros": (
        (
            "Documents with macros, scripts or ActiveX controls (a .docm, or an "
            ".odt with Basic macros or scripts) are refused. Save the document "
            "without macros, as a Word Document (.docx) or an OpenDocument Text "
            "(.odt)."
        ),
        (
            "Les documents contenant des macros, des scripts ou des contrôles "
            "ActiveX (un .docm, ou un .odt avec des macros Basic ou des scripts) "
            "sont refusés. Enregistrez le document sans macros, au format "
            "Document Word (.docx) ou Texte OpenDocument (.odt)."
        ),
    ),
    "external_reference": (
        (
            "The document refers to an external resource ({detail}): linked "
            "pictures, attached templates, linked files or data sources are "
            "refused. Insert the pictures in the document itself (not as a link) "
            "and remove the links; hyperlinks are accepted."
        ),
        (
            "Le document fait référence à une ressource externe ({detail_fr}) : "
            "les images liées, modèles attachés, fichiers ou sources de données "
            "liés sont refusés. Insérez les images dans le document lui-même (pas "
            "en tant que lien) et supprimez les liaisons ; les liens hypertexte "
            "sont acceptés."
        ),
    ),
    "embedded_object": (
        (
            "The document contains an embedded object ({name}: an OLE object, "
            "a plug-in or an applet); this is refused for security reasons. "
            "Replace it with a picture."
        ),
        (
            "Le document contient un objet incorporé ({name} : un objet OLE, un "
            "plug-in ou une applet) ; c'est refusé pour des raisons de sécurité. "
            "Remplacez-le par une image."
        ),
    ),
    "unsafe_link": (
        (
            "The document contains a link that is refused ({detail}): a "
            "hyperlink may only open a web page (http, https), an email address "
            "(mailto) or a phone number (tel), or go to a place in the document. "
            "Remove or change that link."
        ),
        (
            "Le document contient un lien refusé ({detail}) : un lien hypertexte "
            "ne peut ouvrir qu'une page web (http, https), une adresse e-mail "
            "(mailto) ou un numéro de téléphone (tel), ou renvoyer à un endroit "
            "du document. Supprimez ou modifiez ce lien."
        ),
    ),
    "imported_document": (
        (
            "The document imports another document when it is opened ({detail}: "
            "an altChunk part, i.e. HTML, RTF or another Word document that Word "
            "merges into it); this is refused for security reasons. Copy that "
            "content into the document itself."
        ),
        (
            "Le document importe un autre document à son ouverture ({detail} : "
            "une partie altChunk, c'est-à-dire du HTML, du RTF ou un autre "
            "document Word que Word y fusionne) ; c'est refusé pour des raisons "
            "de sécurité. Copiez ce contenu dans le document lui-même."
        ),
    ),
    "wrong_format": (
        (
            "The file {filename} is not what its name says: {detail}. Save it "
            "again as a Word (.docx) or LibreOffice Writer (.odt) document, with "
            "the matching extension."
        ),
        (
            "Le fichier {filename} n'est pas ce que son nom annonce : {detail_fr}. "
            "Enregistrez-le à nouveau comme document Word (.docx) ou LibreOffice "
            "Writer (.odt), avec l'extension correspondante."
        ),
    ),
    "missing_part": (
        "The document is incomplete: {name} is missing.",
        "Le document est incomplet : {name} est absent.",
    ),
    "forbidden_dtd": (
        (
            "The document contains a DTD or entity declaration in {name}; this is "
            "refused for security reasons."
        ),
        (
            "Le document contient une DTD ou une déclaration d'entité dans {name} ; "
            "c'est refusé pour des raisons de sécurité."
        ),
    ),
    "bad_encoding": (
        "{name} uses an unsupported character encoding ({encoding}).",
        "{name} utilise un encodage de caractères non pris en charge ({encoding}).",
    ),
    "invalid_xml": (
        "The document is damaged: {name} is not valid XML ({detail}).",
        "Le document est endommagé : {name} n'est pas du XML valide ({detail}).",
    ),
    "missing_body": (
        "The document has no body to add paragraphs to.",
        "Le document n'a pas de corps où ajouter des paragraphes.",
    ),
    "bad_image": (
        "The image for {target} cannot be used: {detail}.",
        "L'image de {target_fr} est inutilisable : {detail_fr}.",
    ),
}

CONVERSION_MESSAGES: dict[str, tuple[str, str]] = {
    "soffice_missing": (
        (
            "LibreOffice was not found (tried: {tried}); it is needed to produce "
            "PDF files. Install LibreOffice Writer or set EXTRABAT_SOFFICE to its "
            "soffice program."
        ),
        (
            "LibreOffice est introuvable (essayé : {tried}) ; il est nécessaire pour "
            "produire des PDF. Installez LibreOffice Writer ou indiquez son "
            "programme soffice dans EXTRABAT_SOFFICE."
        ),
    ),
    "timeout": (
        "LibreOffice did not finish the PDF conversion within {timeout} seconds.",
        "LibreOffice n'a pas terminé la conversion en PDF en {timeout} secondes.",
    ),
    "failed": (
        "LibreOffice could not convert the document to PDF ({detail}).",
        "LibreOffice n'a pas pu convertir le document en PDF ({detail}).",
    ),
    "no_output": (
        "LibreOffice produced no PDF file ({detail}).",
        "LibreOffice n'a produit aucun fichier PDF ({detail}).",
    ),
    "bad_format": (
        "Cannot convert a '{fmt}' document to PDF (expected docx or odt).",
        "Impossible de convertir un document « {fmt} » en PDF (docx ou odt attendu).",
    ),
}


class _Coded:
    """Mixin: a stable ``code`` and messages in English and French."""

    catalogue: ClassVar[dict[str, tuple[str, str]]] = {}

    def _init_messages(self, code, params):
        # ``key_fr`` gives the French version of ``key`` (English otherwise);
        # missing keys format as empty strings.
        self.code = code
        self.params = dict(params)
        english, french = self.catalogue[code]
        french_params = {k: v for k, v in params.items() if not k.endswith("_fr")}
        french_params.update(
            {k[:-3]: v for k, v in params.items() if k.endswith("_fr")}
        )
        french_params.update({f"{k}_fr": v for k, v in french_params.items()})
        self.message_en = english.format_map(_Default(params))
        self.message_fr = french.format_map(_Default(french_params))

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` ("fr..." gives French, anything else English)."""
        if lang and lang.lower().startswith("fr"):
            return self.message_fr
        return self.message_en


class _Default(dict):
    def __missing__(self, key):
        return ""


class TemplateError(_Coded, ValueError):
    """A template (or a value given for it) is refused.

    :ivar code: stable identifier, e.g. ``"macros"``, ``"forbidden_dtd"``
        (see ``TEMPLATE_MESSAGES``).
    :ivar message_en: the English message (also ``str(error)``).
    :ivar message_fr: the French message.
    :ivar params: the values the messages were built from.
    """

    catalogue: ClassVar[dict[str, tuple[str, str]]] = TEMPLATE_MESSAGES

    def __init__(self, code: str, **params):
        self._init_messages(code, params)
        super().__init__(self.message_en)


class ImageValueError(TemplateError):
    """An image value cannot be used (unreadable, unsupported, too large).

    A subclass of :class:`TemplateError` (code ``"bad_image"``) so that one
    ``except TemplateError`` covers every refusal of ``render``.
    """


class ConversionError(_Coded, RuntimeError):
    """The PDF conversion failed (LibreOffice missing, timed out, failed).

    Same attributes as :class:`TemplateError`; codes in
    ``CONVERSION_MESSAGES``.
    """

    catalogue: ClassVar[dict[str, tuple[str, str]]] = CONVERSION_MESSAGES

    def __init__(self, code: str, **params):
        self._init_messages(code, params)
        super().__init__(self.message_en)


def human_size(size: int) -> str:
    """``1536`` -> ``"1.5 KB"`` (decimal units, as file managers show)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            if unit == "bytes":
                return f"{int(value)} bytes"
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} bytes"  # pragma: no cover

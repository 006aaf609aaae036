"""User messages of :mod:`extrabat_core`, translated here.

The framework-free core refuses a template or a PDF conversion with a stable
``code`` and parameters (and an English message for logs); this module gives
the message in the user's language with ``env._`` (French from ``fr.po``).
The marker catalogue's labels are translated here too.
"""

from extrabat_core import letter_markers
from extrabat_core.docengine import errors

# === DOCUMENT ENGINE ERRORS ===


def _messages(env):
    """code -> translated message (``%(name)s`` over the error's params)."""
    return {
        "empty_file": env._("The file is empty."),
        "file_too_large": env._("The file is too large (%(size)s; at most %(limit)s)."),
        "not_a_zip": env._(
            "This file is not a Word (.docx) or LibreOffice (.odt) document%(hint)s."
        ),
        "ole_container": env._(
            "This file is password-protected or in the old Word 97-2003 (.doc) "
            "format. Remove the password and save it as .docx or .odt."
        ),
        "corrupt_zip": env._("The file is damaged (invalid archive: %(detail)s)."),
        "too_many_entries": env._(
            "The document contains too many files (%(count)s; at most %(limit)s)."
        ),
        "uncompressed_too_large": env._(
            "The document is too large once uncompressed (%(size)s; at most %(limit)s)."
        ),
        "compression_ratio": env._(
            "The document looks like a zip bomb (%(name)s is compressed %(ratio)s:1; "
            "at most %(limit)s:1)."
        ),
        "unsafe_path": env._(
            "The document contains a file with a forbidden path: %(name)s."
        ),
        "duplicate_entry": env._("The document contains the file %(name)s twice."),
        "encrypted": env._(
            "The document is encrypted or password-protected. Remove the password and"
            " save it again."
        ),
        "unsupported_compression": env._(
            "The document uses an unsupported compression method (%(name)s)."
        ),
        "unsupported_format": env._(
            "Unsupported document type (%(detail)s). Use a Word (.docx) or "
            "LibreOffice Writer (.odt) document."
        ),
        "macros": env._(
            "Documents with macros, scripts or ActiveX controls (a .docm, or an .odt "
            "with Basic macros or scripts) are refused. Save the document without "
            "macros, as a Word Document (.docx) or an OpenDocument Text (.odt)."
        ),
        "external_reference": env._(
            "The document refers to an external resource (%(detail)s): linked "
            "pictures, attached templates, linked files or data sources are refused. "
            "Insert the pictures in the document itself (not as a link) and remove "
            "the links; hyperlinks are accepted."
        ),
        "embedded_object": env._(
            "The document contains an embedded object (%(name)s: an OLE object, a "
            "plug-in or an applet); this is refused for security reasons. Replace it "
            "with a picture."
        ),
        "unsafe_link": env._(
            "The document contains a link that is refused (%(detail)s): a hyperlink "
            "may only open a web page (http, https), an email address (mailto) or a "
            "phone number (tel), or go to a place in the document. Remove or change "
            "that link."
        ),
        "imported_document": env._(
            "The document imports another document when it is opened (%(detail)s: an "
            "altChunk part, i.e. HTML, RTF or another Word document that Word merges "
            "into it); this is refused for security reasons. Copy that content into "
            "the document itself."
        ),
        "wrong_format": env._(
            "The file %(filename)s is not what its name says: %(detail)s. Save it "
            "again as a Word (.docx) or LibreOffice Writer (.odt) document, with the "
            "matching extension."
        ),
        "missing_part": env._("The document is incomplete: %(name)s is missing."),
        "forbidden_dtd": env._(
            "The document contains a DTD or entity declaration in %(name)s; this is "
            "refused for security reasons."
        ),
        "bad_encoding": env._(
            "%(name)s uses an unsupported character encoding (%(encoding)s)."
        ),
        "invalid_xml": env._(
            "The document is damaged: %(name)s is not valid XML (%(detail)s)."
        ),
        "missing_body": env._("The document has no body to add paragraphs to."),
        "bad_image": env._("The image for %(target)s cannot be used: %(detail)s."),
        "soffice_missing": env._(
            "LibreOffice was not found (tried: %(tried)s); it is needed to produce "
            "PDF files. Install LibreOffice Writer or set EXTRABAT_SOFFICE to its "
            "soffice program."
        ),
        "timeout": env._(
            "LibreOffice did not finish the PDF conversion within %(timeout)s seconds."
        ),
        "failed": env._(
            "LibreOffice could not convert the document to PDF (%(detail)s)."
        ),
        "no_output": env._("LibreOffice produced no PDF file (%(detail)s)."),
        "bad_format": env._(
            "Cannot convert a '%(fmt)s' document to PDF (expected docx or odt)."
        ),
    }


def _phrases(env):
    """Phrase code -> translated phrase (see ``errors.PHRASES``)."""
    return {
        "pdf_file": env._(" (it is a PDF file)"),
        "rtf_file": env._(" (it is an RTF file)"),
        "flat_xml_file": env._(" (it is a flat XML file)"),
        "markup_file": env._(" (it is an HTML or XML file)"),
        "strict_ooxml": env._("Strict Open XML"),
        "no_word_body": env._("no Word document body"),
        "no_text_body": env._("no text document body"),
        "no_mimetype": env._("no mimetype"),
        "zip_holding": env._("a zip archive holding %(names)s"),
        "empty_zip": env._("a zip archive holding nothing"),
        "mail_merge": env._("mail merge data source (%(name)s)"),
        "field": env._("%(field)s (%(part)s)"),
        "is_docx": env._("it is a Word document (.docx)"),
        "is_odt": env._("it is a LibreOffice Writer document (.odt)"),
        "not_extension": env._("it is not a .%(extension)s document (%(found)s)"),
        "end_image": env._("the image added at the end"),
        "unreadable_image": env._("not a readable PNG or JPEG image"),
        "image_too_large": env._("%(width)sx%(height)s pixels is too large"),
        "image_format": env._("unsupported image format %(fmt)s"),
        "damaged_image": env._("the image is damaged"),
    }


class _Default(dict):
    def __missing__(self, key):
        return ""


def _render(template, params):
    return template % _Default(params)


def error_message(env, error):
    """The message of a ``TemplateError``/``ConversionError`` in the user's
    language (the English message of a code this module does not know)."""
    template = _messages(env).get(error.code)
    if template is None:
        return error.message_en
    params = errors.expand_params(error.params, _phrases(env), render=_render)
    return _render(template, params)


# === MARKER CATALOGUE ===


def marker_labels(env):
    """Marker name -> translated label (``letter_markers.CATALOGUE``)."""
    return {
        "nom_prenom_client": env._("Client's title, first and last name"),
        "civilite_client": env._("Client's title"),
        "nom_client": env._("Client's name (last name for a person)"),
        "prenom_client": env._("Client's first name"),
        "societe_client": env._("Client's company"),
        "adresse_client": env._("Client's full postal address (several lines)"),
        "rue_client": env._("Client's street (both lines)"),
        "code_postal_client": env._("Client's postcode"),
        "ville_client": env._("Client's city"),
        "pays_client": env._("Client's country (in the client's language)"),
        "telephone_client": env._("Client's phone"),
        "mobile_client": env._(
            "Client's mobile phone (its phone when it is a mobile number)"
        ),
        "email_client": env._("Client's email"),
        "code_client": env._("Client code"),
        "statut_client": env._("Client status"),
        "date_du_jour": env._("Date of the letter (long format, client's language)"),
        "signature_client": env._("Client's signature (once signed)"),
        "date_signature": env._("Date of the signature"),
        "suivi_par": env._("Salesperson following the client"),
        "email_utilisateur": env._("Salesperson's email"),
        "telephone_utilisateur": env._("Salesperson's phone"),
        "nom_societe": env._("Your company's name"),
        "adresse_societe": env._("Your company's address"),
        "telephone_societe": env._("Your company's phone"),
        "email_societe": env._("Your company's email"),
        "siret_societe": env._("Your company's SIRET"),
        "tva_societe": env._("Your company's VAT number"),
        "logo_societe": env._("Your company's logo"),
    }


def marker_groups(env):
    """Group code -> translated label (``letter_markers.GROUPS``)."""
    return {
        "client": env._("Client"),
        "user": env._("Salesperson"),
        "company": env._("Company"),
        "letter": env._("Letter"),
        "question": env._("Complementary questions"),
    }


def catalogue_rows(env):
    """``letter_markers.catalogue_rows()`` with labels in the user's language."""
    labels, groups = marker_labels(env), marker_groups(env)
    return [
        {**row, "label": labels[row["name"]], "group_label": groups[row["group"]]}
        for row in letter_markers.catalogue_rows()
    ]

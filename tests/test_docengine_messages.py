"""extrabat_letters translates the core's messages itself
(``models/docengine_messages.py``): its English must stay the core's, for
every error code, phrase, marker and group. The module needs no Odoo: it is
loaded from its file with an ``env`` whose ``_`` returns the source."""

import importlib.util
import re
from pathlib import Path

import pytest

from extrabat_core import letter_markers as lm
from extrabat_core.docengine import TemplateError, list_markers
from extrabat_core.docengine.errors import (
    CONVERSION_MESSAGES,
    PHRASES,
    TEMPLATE_MESSAGES,
    ConversionError,
)

PATH = Path(__file__).parents[1] / "extrabat_letters/models/docengine_messages.py"


def _load():
    spec = importlib.util.spec_from_file_location("docengine_messages", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


messages = _load()


class EnglishEnv:
    @staticmethod
    def _(source):
        return source


class UpperEnv:
    """A "translation" that shows which strings went through ``env._``."""

    @staticmethod
    def _(source):
        upper = source.upper()
        return re.sub(r"%\((\w+)\)S", lambda m: f"%({m[1].lower()})s", upper)


def _braces(text):
    return re.sub(r"%\((\w+)\)s", r"{\1}", text)


def test_every_code_and_phrase_has_the_core_english():
    env = EnglishEnv()
    addon = {k: _braces(v) for k, v in messages._messages(env).items()}
    assert addon == {**TEMPLATE_MESSAGES, **CONVERSION_MESSAGES}
    assert {k: _braces(v) for k, v in messages._phrases(env).items()} == PHRASES


def test_every_marker_and_group_has_the_core_english():
    env = EnglishEnv()
    assert messages.marker_labels(env) == {m.name: m.label_en for m in lm.CATALOGUE}
    assert messages.marker_groups(env) == lm.GROUPS
    assert messages.catalogue_rows(env) == lm.catalogue_rows()


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4", b"", b"PK\x03\x04broken", b"<html></html>"],
)
def test_error_message_is_the_english_one_untranslated(data):
    with pytest.raises(TemplateError) as info:
        list_markers(data)
    assert messages.error_message(EnglishEnv(), info.value) == info.value.message_en


def test_error_message_translates_the_message_and_its_phrases():
    error = TemplateError("not_a_zip", hint_code="pdf_file")
    assert messages.error_message(UpperEnv(), error) == (
        "THIS FILE IS NOT A WORD (.DOCX) OR LIBREOFFICE (.ODT) DOCUMENT "
        "(IT IS A PDF FILE)."
    )


def test_unknown_code_falls_back_to_english():
    error = ConversionError("timeout", timeout=5)
    error.code = "new_code"
    assert messages.error_message(UpperEnv(), error) == error.message_en

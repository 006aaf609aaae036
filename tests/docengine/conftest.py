"""Fixtures of the document engine tests; helpers live in ``dochelpers``."""

import shutil

import pytest

from extrabat_core.docengine import ConversionError, find_soffice


def _soffice_missing():
    try:
        find_soffice()
    except ConversionError:
        return True
    return False


def pytest_collection_modifyitems(config, items):
    if not _soffice_missing() and shutil.which("pdftotext"):
        return
    skip = pytest.mark.skip(reason="LibreOffice or pdftotext (poppler-utils) missing")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def word_template():
    from . import docfixtures

    return docfixtures.word_kitchen_sink()


@pytest.fixture(scope="session")
def odt_template():
    from . import docfixtures

    return docfixtures.odt_kitchen_sink()

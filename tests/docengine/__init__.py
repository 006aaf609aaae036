"""Tests of extrabat_core.docengine (the document engine)."""

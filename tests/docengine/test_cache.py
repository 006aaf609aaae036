"""Compiled templates: cached once, bounded, shared safely between threads."""

import gc
import threading
import tracemalloc

import pytest

from extrabat_core.docengine import (
    cache_info,
    clear_cache,
    compile_template,
    configure_cache,
    list_markers,
    load_template,
    render,
)

from . import docfixtures as fx


@pytest.fixture(autouse=True)
def _fresh_cache():
    configure_cache()
    yield
    configure_cache()


_VARIANTS = [fx.simple_docx(fx.para(fx.run(f"[data.v{n}]"))) for n in range(10)]


def _variant(number):
    return _VARIANTS[number]


def test_a_template_is_compiled_once(word_template):
    render(word_template, {})
    list_markers(word_template)
    render(word_template, {"nom_client": "x"})
    info = cache_info()
    assert (info["misses"], info["hits"], info["entries"]) == (1, 2, 1)
    assert load_template(word_template) is load_template(bytes(word_template))


def test_cache_is_bounded_in_entries():
    configure_cache(max_entries=3)
    for number in range(10):
        list_markers(_variant(number))
    assert cache_info()["entries"] == 3
    # The least recently used went first.
    list_markers(_variant(9))
    assert cache_info()["hits"] == 1
    list_markers(_variant(0))
    assert cache_info()["misses"] == 11


def test_cache_is_bounded_in_bytes(word_template):
    cost = compile_template(word_template).cost
    configure_cache(max_entries=100, max_bytes=int(cost * 2.5))
    for number in range(6):
        list_markers(_variant(number))
        list_markers(word_template)
    assert cache_info()["bytes"] <= cost * 2.5


def test_template_larger_than_the_cache_is_not_kept(word_template):
    configure_cache(max_bytes=100)
    list_markers(word_template)
    assert cache_info()["entries"] == 0


def test_clear_cache(word_template):
    list_markers(word_template)
    clear_cache()
    assert cache_info()["entries"] == 0


def test_concurrent_renders_give_the_same_bytes(word_template, odt_template):
    values = {"nom_client": "Dupont", "adresse_client": "1 rue A\n69000 Lyon"}
    expected = {
        "docx": render(word_template, values),
        "odt": render(odt_template, values),
    }
    clear_cache()
    results = []
    failures = []

    def work(template, fmt):
        try:
            for _ in range(30):
                results.append(render(template, values) == expected[fmt])
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [
        threading.Thread(target=work, args=(t, f))
        for t, f in [(word_template, "docx"), (odt_template, "odt")] * 4
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(results) == 240 and all(results)


def test_memory_stays_flat_over_many_renders(word_template):
    values = {"nom_client": "Dupont", "nom_societe": fx.png()}
    for _ in range(50):  # warm up: compile, Pillow import, caches
        render(word_template, values)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(200):
            render(word_template, values)
        gc.collect()
        after_200 = tracemalloc.get_traced_memory()[0]
        for _ in range(600):
            render(word_template, values)
        gc.collect()
        after_800 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_800 - after_200 < 64_000, (after_200, after_800)

"""The Odoo log analysis behind the test command's counts."""

import odoo_log

HEAD = "2026-11-28 10:00:00,123 4242"


def line(level, logger, message, db="testdb"):
    return f"{HEAD} {level} {db} {logger}: {message}"


def test_counts_come_from_odoo_summary_and_skips():
    log = [
        line(
            "INFO", "odoo.addons.extrabat_crm.tests.test_x", "Starting TestX.test_a ..."
        ),
        line(
            "INFO",
            "odoo.addons.extrabat_crm.tests.test_x",
            "skipped TestX.test_b : no soffice",
        ),
        line(
            "INFO",
            "odoo.tests.result",
            "0 failed, 0 error(s) of 12 tests when loading database 'testdb'",
        ),
    ]
    report = odoo_log.analyse(log)
    assert report.summary_found
    assert report.tests_run == 12
    assert report.skipped == ["TestX.test_b"]
    assert report.passed == 11
    assert report.failed == 0


def test_a_class_skipped_whole_is_listed_as_skipped():
    log = [
        line(
            "INFO",
            "odoo.addons.extrabat_crm.tests.test_fec",
            "skipped setUpClass (odoo.addons.extrabat_crm.tests.test_fec."
            "TestClientCodeFec) : Module required for the test is not installed "
            "(l10n_fr_account)",
        ),
        line(
            "INFO",
            "odoo.tests.result",
            "0 failed, 0 error(s) of 3 tests when loading database 'testdb'",
        ),
    ]
    report = odoo_log.analyse(log)
    assert report.skipped == [
        "setUpClass (odoo.addons.extrabat_crm.tests.test_fec.TestClientCodeFec)"
    ]
    assert report.passed == 2


def test_test_failures_are_not_counted_twice():
    log = [
        line("ERROR", "odoo.addons.extrabat_crm.tests.test_x", "FAIL: TestX.test_a"),
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in test_a',
        "AssertionError: 1 != 2",
        line(
            "ERROR",
            "odoo.modules.loading",
            "At least one test failed when loading the modules.",
        ),
        line(
            "ERROR",
            "odoo.tests.result",
            "1 failed, 0 error(s) of 3 tests when loading database 'testdb'",
        ),
    ]
    report = odoo_log.analyse(log)
    assert (report.passed, report.failed) == (2, 1)
    assert report.bad_records == []


def test_errors_outside_tests_and_our_warnings_are_failures():
    log = [
        line("ERROR", "odoo.sql_db", "bad query: SELECT nothing"),
        line("WARNING", "odoo.addons.extrabat_letters.models.x", "something odd"),
        line(
            "WARNING",
            "odoo.models",
            "Field res.partner.x: unknown parameter 'y', in module extrabat_crm",
        ),
        line(
            "WARNING",
            "odoo.addons.base.models.ir_ui_view",
            "a warning of another module",
        ),
        line(
            "CRITICAL", "odoo.service.server", "Failed to initialize database `testdb`."
        ),
        line(
            "INFO",
            "odoo.tests.result",
            "0 failed, 0 error(s) of 5 tests when loading database 'testdb'",
        ),
    ]
    report = odoo_log.analyse(log)
    assert [r.level for r in report.bad_records] == [
        "ERROR",
        "WARNING",
        "WARNING",
        "CRITICAL",
    ]
    assert len(report.other_warnings) == 1
    assert report.failed == 4
    assert report.passed == 5


def test_multiline_records_keep_their_traceback():
    log = [
        line("ERROR", "odoo.http", "Exception during request handling."),
        "Traceback (most recent call last):",
        "ValueError: boom",
        line(
            "INFO",
            "odoo.tests.result",
            "0 failed, 0 error(s) of 1 tests when loading database 'testdb'",
        ),
    ]
    (record,) = odoo_log.analyse(log).bad_records
    assert record.text.endswith("ValueError: boom")


def test_missing_summary_is_reported():
    report = odoo_log.analyse(
        [line("INFO", "odoo.modules.loading", "loading 1 modules...")]
    )
    assert not report.summary_found
    assert report.tests_run == 0

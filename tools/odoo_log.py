"""Read an Odoo server log and tell what the test run did.

Pure Python (no Odoo import) so that it is tested in the framework-free tier.

The counts come from Odoo's own final report (``odoo.tests.result``: "F failed,
E error(s) of N tests when loading database 'db'") and from the ``skipped``
lines of the test result logger. Log records at ERROR or CRITICAL that are not
part of a test failure report, and WARNING records that come from our addons,
are failures of their own: a clean run logs none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LINE_RE = re.compile(
    r"^(?P<date>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<pid>\d+) "
    r"(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL|TEST|RUNBOT|\?) "
    r"(?P<db>\S+) (?P<logger>[\w.\-]+): (?P<message>.*)$"
)
SUMMARY_RE = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
SKIP_RE = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$", re.DOTALL)
TEST_REPORT_RE = re.compile(r"^(FAIL|ERROR): ")
# Messages Odoo logs at ERROR level only to announce failures already counted.
FAILURE_ECHOES = (
    "At least one test failed when loading the modules.",
    "Test suite halted: max failed tests already reached",
)


@dataclass
class LogRecord:
    level: str
    db: str
    logger: str
    message: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self):
        return "\n".join(self.lines)


@dataclass
class TestRunReport:
    """What one Odoo test run did."""

    tests_run: int = 0
    failures: int = 0
    errors: int = 0
    skipped: list[str] = field(default_factory=list)
    summary_found: bool = False
    bad_records: list[LogRecord] = field(default_factory=list)
    other_warnings: list[LogRecord] = field(default_factory=list)

    @property
    def passed(self):
        return max(self.tests_run - self.failures - self.errors - len(self.skipped), 0)

    @property
    def failed(self):
        """Failed tests, plus one per log record that must not appear."""
        return self.failures + self.errors + len(self.bad_records)


def iter_records(lines):
    """Group raw log lines into records (tracebacks stay with their record)."""
    current = None
    for raw in lines:
        line = raw.rstrip("\n")
        match = LINE_RE.match(line)
        if match:
            if current is not None:
                yield current
            current = LogRecord(
                level=match["level"],
                db=match["db"],
                logger=match["logger"],
                message=match["message"],
                lines=[line],
            )
        elif current is not None:
            current.lines.append(line)
            current.message += "\n" + line
    if current is not None:
        yield current


def is_ours(record, prefixes):
    """True when a record comes from (or is about) one of our addons."""
    return any(
        record.logger.startswith(f"odoo.addons.{p}") or p in record.message
        for p in prefixes
    )


def analyse(lines, our_prefixes=("extrabat_",), allowed_warnings=()):
    """Build a :class:`TestRunReport` from the lines of an Odoo log.

    :param lines: iterable of log lines (a file object works)
    :param our_prefixes: addon name prefixes whose warnings are failures
    :param allowed_warnings: regular expressions of warning messages of ours
        that are expected (none by default)
    """
    report = TestRunReport()
    allowed = [re.compile(p) for p in allowed_warnings]
    for record in iter_records(lines):
        first = record.message.split("\n", 1)[0]
        if record.logger == "odoo.tests.result":
            match = SUMMARY_RE.match(first)
            if match:
                # One summary per database; a run may load several.
                report.summary_found = True
                report.failures += int(match["failed"])
                report.errors += int(match["errors"])
                report.tests_run += int(match["run"])
                continue
        skip = SKIP_RE.match(record.message)
        if skip and record.level == "INFO":
            report.skipped.append(skip["test"])
            continue
        if record.level in ("ERROR", "CRITICAL"):
            if TEST_REPORT_RE.match(first) or first.startswith(FAILURE_ECHOES):
                continue
            report.bad_records.append(record)
        elif record.level == "WARNING":
            if is_ours(record, our_prefixes):
                if not any(p.search(first) for p in allowed):
                    report.bad_records.append(record)
            else:
                report.other_warnings.append(record)
    return report

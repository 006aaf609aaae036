#!/usr/bin/env bash
# The project's set-up command (`make setup`). Idempotent.
#
# Installs what the project needs from Debian (LibreOffice writer headless,
# Chromium for Odoo tours, wkhtmltopdf for PDF reports, fonts, poppler) and from
# PyPI (requirements.txt, and this repository's framework-free package
# `extrabat_core` in editable mode), then checks that Odoo 19.0 is importable
# (or found with ODOO_PATH) and that PostgreSQL answers, and says what is
# missing. It never downloads nor builds Odoo.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEB_PACKAGES=(libreoffice-writer-nogui chromium wkhtmltopdf fonts-dejavu-core
              fonts-liberation poppler-utils)
status=0

echo "== Debian packages: ${DEB_PACKAGES[*]}"
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "   all installed"
elif ! command -v apt-get >/dev/null; then
    echo "   MISSING (no apt-get here, install them another way): ${missing[*]}"
    status=1
else
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "   installing: ${missing[*]}"
    if ! { $SUDO apt-get update -qq \
           && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
                --no-install-recommends "${missing[@]}" >/dev/null; }; then
        echo "   FAILED to install: ${missing[*]}"
        status=1
    fi
fi

echo "== Python packages (requirements.txt, extrabat_core in editable mode)"
if ! "$PYTHON" -m pip install -q -r requirements.txt; then
    echo "   FAILED: pip install -r requirements.txt"
    status=1
fi
if ! "$PYTHON" -m pip install -q --no-build-isolation --no-deps -e .; then
    echo "   FAILED: pip install -e . (extrabat_core)"
    status=1
fi

echo "== Checks"
"$PYTHON" tools/check_env.py || status=1
exit $status

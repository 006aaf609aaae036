#!/usr/bin/env bash
# The project's set-up command (`make setup`). Idempotent.
#
# 1. Debian packages (apt-get, as root or with sudo): LibreOffice writer
#    headless and its Python bridge (python3-uno: one LibreOffice kept
#    running per Odoo process for the letters' PDFs), Chromium for Odoo tours, wkhtmltopdf for PDF reports, fonts,
#    poppler; and, when needed, PostgreSQL, git and python3-venv.
# 2. PostgreSQL: when none answers locally, the Debian server is installed and
#    started, with a superuser role for DB_USER or the current OS user.
# 3. Odoo 19.0: when none is found (importable `odoo`, ODOO_PATH, or a previous
#    download), tools/get_odoo.py clones it from ODOO_GIT_URL/ODOO_REF into a
#    cache folder (ODOO_CACHE_DIR) and makes a virtualenv with its
#    requirements; the Makefile then uses that virtualenv's Python.
#    An Odoo already found is used as it is: nothing is cloned nor created.
# 4. Python packages: requirements.txt, requirements-test.txt and this
#    repository's framework-free package `extrabat_core` in editable mode.
# 5. Optional: OCA's queue_job (wheel, --no-deps) for extrabat_queue.
# 6. The checks of tools/check_env.py.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
DEB_PACKAGES=(libreoffice-writer-nogui python3-uno chromium wkhtmltopdf fonts-dejavu-core
              fonts-liberation poppler-utils)
status=0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

pg_answers() {
    if command -v pg_isready >/dev/null; then
        pg_isready -q ${DB_HOST:+-h "$DB_HOST"} ${DB_PORT:+-p "$DB_PORT"} 2>/dev/null
    else  # no PostgreSQL client here: is anything listening on the port?
        "$PYTHON" -c "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 3)" \
            "${DB_HOST:-127.0.0.1}" "${DB_PORT:-5432}" 2>/dev/null
    fi
}
pg_is_local() {
    case "${DB_HOST:-}" in ""|localhost|127.0.0.1|::1|/*) return 0 ;; *) return 1 ;; esac
}

odoo_found=1
if ! "$PYTHON" tools/get_odoo.py --found; then
    odoo_found=0
    DEB_PACKAGES+=(git python3-venv ca-certificates libmagic1)
fi
install_postgres=0
if ! pg_answers && pg_is_local; then
    install_postgres=1
    DEB_PACKAGES+=(postgresql)
fi

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
    echo "   installing: ${missing[*]}"
    if ! { $SUDO apt-get update -qq \
           && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
                --no-install-recommends "${missing[@]}" >/dev/null; }; then
        echo "   FAILED to install: ${missing[*]}"
        status=1
    fi
fi

if [ $install_postgres -eq 1 ]; then
    echo "== PostgreSQL (none answered: starting the local server)"
    if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
        for version in $(ls /etc/postgresql); do
            $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
                || $SUDO pg_ctlcluster "$version" main start 2>/dev/null || true
        done
    fi
    pg_answers || $SUDO service postgresql start >/dev/null 2>&1 || true
    for _ in $(seq 30); do pg_answers && break; sleep 1; done
    if ! pg_answers; then
        echo "   FAILED: PostgreSQL does not answer (start it, or set DB_HOST/DB_PORT)"
        status=1
    else
        role="${DB_USER:-$(id -un)}"
        if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); else AS_PG=(sudo -u postgres); fi
        if [ "$("${AS_PG[@]}" psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${role//\'/\'\'}'" 2>/dev/null)" != "1" ]; then
            echo "   creating the PostgreSQL role $role (superuser)"
            "${AS_PG[@]}" createuser --superuser "$role" || status=1
        fi
        echo "   answering; role: $role"
    fi
fi

if [ $odoo_found -eq 0 ]; then
    echo "== Odoo 19.0: none found, getting it"
    "$PYTHON" tools/get_odoo.py
    case $? in
        0)  PYTHON="$("$PYTHON" -c 'import json; print(json.load(open(".var/odoo.json"))["python"])')"
            echo "   from now on the Makefile uses $PYTHON (.var/setup.mk)" ;;
        2)  status=1 ;;  # an unusable Odoo: reported, the rest still checked
        *)  exit 1 ;;    # the download failed: its message says what to do
    esac
fi

echo "== Python packages (requirements.txt, requirements-test.txt, extrabat_core editable)"
if ! "$PYTHON" -m pip install -q -r requirements.txt -r requirements-test.txt; then
    echo "   FAILED: pip install -r requirements.txt -r requirements-test.txt"
    status=1
fi
if ! "$PYTHON" -m pip install -q --no-build-isolation --no-deps -e .; then
    echo "   FAILED: pip install -e . (extrabat_core)"
    status=1
fi

# Optional: OCA's job queue, for the bridge addon extrabat_queue (tested by
# `make test` when found). --no-deps: its wheel requires "odoo" as a Python
# distribution, which an Odoo run from its source tree is not.
echo "== OCA queue_job 19.0 (optional: extrabat_queue)"
if "$PYTHON" -m pip install -q --no-deps "odoo-addon-queue-job>=19.0,<19.1" \
        && "$PYTHON" -m pip install -q "openupgradelib>=3.6" "requests>=2.25"; then
    echo "   installed"
else
    echo "   not installed: extrabat_queue is left out (the other addons work without it)"
fi

echo "== Checks"
"$PYTHON" tools/check_env.py || status=1
exit $status

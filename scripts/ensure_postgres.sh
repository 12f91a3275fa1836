#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl, postgres, pgbench) exist, so
# that tests/sql can start a private server. Installs the distribution's package only
# when initdb cannot be found; never starts a system-wide server. Non-interactive.
set -eu

find_initdb() {
    if command -v pg_config >/dev/null 2>&1; then
        bindir=$(pg_config --bindir 2>/dev/null || true)
        if [ -n "$bindir" ] && [ -x "$bindir/initdb" ]; then
            echo "$bindir/initdb"
            return 0
        fi
    fi
    for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -rn); do
        if [ -x "$candidate/initdb" ]; then
            echo "$candidate/initdb"
            return 0
        fi
    done
    return 1
}

if found=$(find_initdb); then
    echo "ensure_postgres: found $found"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_postgres: initdb not found and apt-get is unavailable; install PostgreSQL server binaries" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n"
fi

echo "ensure_postgres: installing PostgreSQL with apt-get"
export DEBIAN_FRONTEND=noninteractive
# Do not let the package start (or create) a system-wide cluster: the tests start
# their own server in a temporary folder.
policy=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod +x "$policy"
    created_policy=1
fi
cleanup() {
    if [ -n "$created_policy" ]; then
        $SUDO rm -f "$policy"
    fi
}
trap cleanup EXIT
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends postgresql postgresql-contrib

if found=$(find_initdb); then
    echo "ensure_postgres: installed $found"
else
    echo "ensure_postgres: PostgreSQL was installed but initdb is still missing" >&2
    exit 1
fi

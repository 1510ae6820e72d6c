#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server.
#
#   bash scripts/with-postgres.sh CMD [ARG...]
#
# Creates a new cluster (initdb) in a temporary directory, starts it on
# 127.0.0.1 at a free port with password (SCRAM) authentication, creates an
# empty database and runs CMD with
#
#   JX_TEST_PG_URL=postgresql://jx:PASSWORD@127.0.0.1:PORT/jixiao_test
#
# and the matching PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE, so
# that psql works too. Afterwards (also when CMD fails or the script is
# interrupted) the server is stopped by its PID and the directory removed.
# Exits with CMD's status; 2 when the server could not be set up.
#
# It never touches the system's clusters (/etc/postgresql, /var/lib/
# postgresql, /var/run/postgresql): nothing but the temporary directory is
# written. As root the server runs as the "postgres" user (PostgreSQL refuses
# to run as root). The newest /usr/lib/postgresql/N/bin is used, or the one
# named by PG_BINDIR. Needs PostgreSQL 13 or newer.
set -euo pipefail

if [ $# -eq 0 ]; then
	echo "usage: $0 CMD [ARG...]" >&2
	exit 2
fi

die() {
	echo "with-postgres: $*" >&2
	exit 2
}

# The server's binaries.
if [ -z "${PG_BINDIR:-}" ]; then
	PG_BINDIR=$(for d in /usr/lib/postgresql/*/bin; do if [ -d "$d" ]; then echo "$d"; fi; done |
		sort -V | tail -n 1)
	if [ -z "$PG_BINDIR" ] && command -v initdb >/dev/null 2>&1; then
		PG_BINDIR=$(dirname "$(command -v initdb)")
	fi
fi
for tool in initdb pg_ctl postgres psql; do
	[ -x "$PG_BINDIR/$tool" ] || die "no $tool in '${PG_BINDIR:-}' (install postgresql: bash scripts/deps.sh, or set PG_BINDIR)"
done
major=$("$PG_BINDIR/postgres" --version | sed -nE 's/^[^0-9]*([0-9]+).*/\1/p')
case $major in
'' | *[!0-9]*) die "cannot read the version of $PG_BINDIR/postgres" ;;
esac
[ "$major" -ge 13 ] || die "PostgreSQL $major is too old (13 or newer needed)"

# As root, run the server's tools as the postgres user.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
	id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user"
	as_pg=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/jx-pg.XXXXXX")
pid=""

# Whether process $1 runs. A zombie does not: the postmaster is not our
# child, and whoever inherits it may take its time to reap it.
running() {
	local stat
	if [ -r "/proc/$1/stat" ]; then
		stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
		stat=${stat##*) }
		case $stat in
		Z* | X*) return 1 ;;
		esac
		return 0
	fi
	kill -0 "$1" 2>/dev/null
}

stop_server() {
	if [ -z "$pid" ] && [ -f "$dir/data/postmaster.pid" ]; then
		pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
	fi
	if [ -n "$pid" ] && running "$pid"; then
		# SIGQUIT: immediate shutdown; the cluster is thrown away, so it
		# needs no shutdown checkpoint. The postmaster is not our child:
		# poll instead of wait.
		kill -QUIT "$pid" 2>/dev/null || true
		for _ in $(seq 1 200); do
			running "$pid" || break
			sleep 0.05
		done
		if running "$pid"; then
			kill -KILL "$pid" 2>/dev/null || true
			sleep 0.2
		fi
	fi
	pid=""
}

child=""

# shellcheck disable=SC2317 # called by the traps
cleanup() {
	set +e
	stop_server
	rm -rf "$dir"
}

# A signal ends CMD first (bash runs traps only between commands, so CMD
# runs in the background and the script waits for it), then the server.
# shellcheck disable=SC2317 # called by the traps
on_signal() {
	if [ -n "$child" ]; then
		kill -"$1" "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

if [ ${#as_pg[@]} -gt 0 ]; then
	chown postgres: "$dir"
fi
chmod 700 "$dir"

password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
[ ${#password} -eq 32 ] || die "cannot read /dev/urandom"
user=jx
db=jixiao_test
printf '%s\n' "$password" >"$dir/pwfile"
if [ ${#as_pg[@]} -gt 0 ]; then
	chown postgres: "$dir/pwfile"
fi
chmod 600 "$dir/pwfile"

# Server commands run from inside the directory: the postgres user may not
# be allowed into the caller's working directory.
here=$PWD
cd "$dir"

if ! "${as_pg[@]}" "$PG_BINDIR/initdb" --pgdata="$dir/data" --username="$user" \
	--pwfile="$dir/pwfile" --auth=scram-sha-256 --encoding=UTF8 \
	--locale=C --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
	cat "$dir/initdb.log" >&2
	die "initdb failed"
fi
rm -f "$dir/pwfile"

# Pick a port at random and retry when it is taken: another server (or
# another run of this script) may hold it.
started=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
	port=$((20000 + RANDOM % 40000))
	# Skip ports where something answers already.
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		continue
	fi
	if "${as_pg[@]}" "$PG_BINDIR/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" \
		--wait --timeout=30 --silent \
		-o "-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >/dev/null 2>&1; then
		started=yes
		break
	fi
	stop_server
	if ! grep -q -e 'could not bind' -e 'could not create any TCP/IP sockets' \
		-e 'could not create lock file' "$dir/server.log" 2>/dev/null; then
		cat "$dir/server.log" >&2 2>/dev/null || true
		die "the server did not start"
	fi
done
[ -n "$started" ] || die "no free port found for the server"
pid=$(head -n 1 "$dir/data/postmaster.pid")
case $pid in
'' | *[!0-9]*) die "cannot read the server's PID from postmaster.pid" ;;
esac

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$user" PGPASSWORD="$password"
unset PGSERVICE PGHOSTADDR PGSSLMODE PGPASSFILE
export PGDATABASE=postgres
"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null ||
	die "cannot create database $db"
export PGDATABASE="$db"
export JX_TEST_PG_URL="postgresql://$user:$password@127.0.0.1:$port/$db"

cd "$here"
status=0
# Without job control a background command would read /dev/null: keep stdin.
"$@" <&0 &
child=$!
wait "$child" || status=$?
child=""
exit "$status"

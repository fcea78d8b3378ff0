#!/usr/bin/env bash
# PostgreSQL for the service-backed tests: Debian's package, a private cluster in the run
# directory, 127.0.0.1:55432, role and database "juanzong" with a password.
#
#   scripts/services/postgres.sh {install|start|status|stop|env}
set -euo pipefail
JZ_SERVICE=postgres
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_DIR="$JZ_RUN/postgres"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/postgres.log"
PG_SOCK="$PG_DIR" # the Unix socket lives here too (never in the shared /var/run)

pg_bindir() {
	local dir
	dir=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
	if [[ -n $dir && -x $dir/pg_ctl ]]; then
		echo "$dir"
	elif command -v pg_ctl >/dev/null; then
		dirname "$(readlink -f "$(command -v pg_ctl)")"
	else
		return 1
	fi
}

svc_install() {
	if ! pg_bindir >/dev/null; then
		apt_install postgresql
	fi
	PG_BIN=$(pg_bindir) || die "PostgreSQL binaries not found after installing the postgresql package"
	log "using $("$PG_BIN/postgres" --version) from $PG_BIN"
	ensure_svc_user
}

pg_ctl_() { as_svc "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }

pg_running() { pg_ctl_ status >/dev/null 2>&1; }

superuser_psql() {
	as_svc "$PG_BIN/psql" -X -q -h "$PG_SOCK" -p "$JZ_PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

init_cluster() {
	if [[ -f $PG_DATA/PG_VERSION ]]; then
		return 0
	fi
	if [[ -d $PG_DATA ]]; then
		log "removing an incomplete data directory left by an interrupted initdb: $PG_DATA"
		rm -rf "$PG_DATA"
	fi
	svc_dir "$PG_DIR"
	chmod 0700 "$PG_DIR"
	svc_touch "$PG_LOG"
	log "initdb into $PG_DATA"
	as_svc "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
		--encoding=UTF8 --no-locale >>"$PG_LOG" 2>&1 || die "initdb failed; see $PG_LOG"
	# A throw-away test server: commits need not wait for the disk (a crash loses at most the
	# last transactions, never corrupts the cluster).
	printf '\n# juanzong test server\nsynchronous_commit = off\n' >>"$PG_DATA/postgresql.conf"
}

ensure_role_and_database() {
	superuser_psql -v user="$JZ_PG_USER" -v pw="$JZ_PG_PASSWORD" -v db="$JZ_PG_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'user', 'UTF8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

healthy() {
	"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$JZ_PG_PORT" -d "$JZ_PG_DB" -U "$JZ_PG_USER" || return 1
	[[ $(PGPASSWORD="$JZ_PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -tA -h 127.0.0.1 \
		-p "$JZ_PG_PORT" -U "$JZ_PG_USER" -d "$JZ_PG_DB" -c 'SELECT 1' 2>/dev/null) == 1 ]]
}

svc_start() {
	svc_install
	init_cluster
	if pg_running; then
		log "already running"
	else
		require_free_port "$JZ_PG_PORT" JUANZONG_PG_PORT
		svc_touch "$PG_LOG"
		log "starting on 127.0.0.1:$JZ_PG_PORT (data $PG_DATA, log $PG_LOG)"
		pg_ctl_ -w -t 60 -l "$PG_LOG" \
			-o "-p $JZ_PG_PORT -c listen_addresses=127.0.0.1 -k '$PG_SOCK'" start >/dev/null ||
			die "PostgreSQL did not start; see $PG_LOG"
	fi
	ensure_role_and_database
	healthy || die "PostgreSQL runs but the juanzong login fails; see $PG_LOG"
	log "healthy: $(svc_env)"
}

svc_status() {
	PG_BIN=$(pg_bindir) || {
		log "not installed"
		return 1
	}
	if [[ -f $PG_DATA/PG_VERSION ]] && pg_running && healthy; then
		log "running and healthy on 127.0.0.1:$JZ_PG_PORT"
	else
		log "not running (start it with scripts/services/postgres.sh start)"
		return 1
	fi
}

svc_stop() {
	PG_BIN=$(pg_bindir) || {
		log "not installed"
		return 0
	}
	if [[ -f $PG_DATA/PG_VERSION ]] && pg_running; then
		pg_ctl_ -m fast -w -t 60 stop >/dev/null
		log "stopped"
	else
		log "not running"
	fi
}

svc_env() {
	echo "export JUANZONG_TEST_POSTGRES_URL=postgresql://$JZ_PG_USER:$JZ_PG_PASSWORD@127.0.0.1:$JZ_PG_PORT/$JZ_PG_DB"
}

main "$@"

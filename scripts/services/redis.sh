#!/usr/bin/env bash
# Redis for the service-backed tests (Celery broker): Debian's package, daemonized on
# 127.0.0.1:56379 with a pid file and its data in the run directory.
#
#   scripts/services/redis.sh {install|start|status|stop|env}
set -euo pipefail
JZ_SERVICE=redis
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_DIR="$JZ_RUN/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

svc_install() {
	if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
		apt_install redis-server redis-tools
	fi
	log "using $(redis-server --version | cut -d' ' -f1-3)"
	ensure_svc_user
}

write_config() {
	svc_dir "$REDIS_DIR"
	# Written on every start so a changed port takes effect; loopback only, no persistence
	# (a test broker: nothing in it must outlive the run).
	cat >"$REDIS_CONF" <<EOF
bind 127.0.0.1
port $JZ_REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID
logfile $REDIS_LOG
dir $REDIS_DIR
save ""
appendonly no
databases 16
EOF
}

ping() { [[ $(redis-cli -h 127.0.0.1 -p "$JZ_REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

svc_start() {
	svc_install
	write_config
	if live_pid "$REDIS_PID" redis-server >/dev/null; then
		log "already running"
	else
		require_free_port "$JZ_REDIS_PORT" JUANZONG_REDIS_PORT
		log "starting on 127.0.0.1:$JZ_REDIS_PORT (log $REDIS_LOG)"
		as_svc redis-server "$REDIS_CONF" || die "redis-server did not start; see $REDIS_LOG"
	fi
	wait_until 30 ping || die "Redis does not answer PING on 127.0.0.1:$JZ_REDIS_PORT; see $REDIS_LOG"
	log "healthy: $(svc_env)"
}

svc_status() {
	if live_pid "$REDIS_PID" redis-server >/dev/null && command -v redis-cli >/dev/null && ping; then
		log "running and healthy on 127.0.0.1:$JZ_REDIS_PORT"
	else
		log "not running (start it with scripts/services/redis.sh start)"
		return 1
	fi
}

svc_stop() { stop_pidfile "$REDIS_PID" 30 redis-server; }

svc_env() { echo "export JUANZONG_TEST_REDIS_URL=redis://127.0.0.1:$JZ_REDIS_PORT/0"; }

main "$@"

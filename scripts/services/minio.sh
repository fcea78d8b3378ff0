#!/usr/bin/env bash
# MinIO for the service-backed tests: built from its Go module with the machine's Go
# toolchain (cached), S3 API on 127.0.0.1:59000, console on 127.0.0.1:59001.
#
#   scripts/services/minio.sh {install|start|status|stop|env}
#
# The version is a pseudo-version because MinIO tags releases RELEASE.<date>, not semver;
# the module proxy serves the head of its master branch (see docs/design/services.md).
set -euo pipefail
JZ_SERVICE=minio
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MINIO_MODULE=github.com/minio/minio
MINIO_VERSION="${JUANZONG_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
MINIO_BIN="$JZ_HOME/bin/minio-$MINIO_VERSION"
MINIO_DIR="$JZ_RUN/minio"
MINIO_PID="$MINIO_DIR/minio.pid"
MINIO_LOG="$MINIO_DIR/minio.log"

go_tool() {
	if command -v go >/dev/null; then
		command -v go
	elif [[ -x /usr/local/go/bin/go ]]; then
		echo /usr/local/go/bin/go
	else
		return 1
	fi
}

svc_install() {
	ensure_svc_user
	if [[ -x $MINIO_BIN ]]; then
		log "using cached $MINIO_BIN"
		return 0
	fi
	local go tmp build_log="$JZ_HOME/logs/minio-build.log"
	go=$(go_tool) || die "Go toolchain not found (need go >= 1.24 on PATH or in /usr/local/go)"
	mkdir -p "$JZ_HOME/bin" "$JZ_HOME/logs"
	tmp=$(mktemp -d "$JZ_HOME/bin/.build-XXXXXX")
	log "building $MINIO_MODULE@$MINIO_VERSION with $("$go" version | cut -d' ' -f3) (several minutes on 2 cores; log $build_log)"
	# GOTOOLCHAIN=local: build with this toolchain, never download another.
	if ! GOBIN="$tmp" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
		"$go" install "$MINIO_MODULE@$MINIO_VERSION" >"$build_log" 2>&1; then
		rm -rf "$tmp"
		tail -n 20 "$build_log" >&2
		die "go install $MINIO_MODULE@$MINIO_VERSION failed; see $build_log"
	fi
	chmod 0755 "$tmp/minio"
	mv -f "$tmp/minio" "$MINIO_BIN"
	rmdir "$tmp"
	log "built $MINIO_BIN"
}

live() { curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$JZ_MINIO_PORT/minio/health/live"; }

svc_start() {
	svc_install
	svc_dir "$MINIO_DIR" "$MINIO_DIR/data"
	if live_pid "$MINIO_PID" >/dev/null; then
		log "already running"
	else
		require_free_port "$JZ_MINIO_PORT" JUANZONG_MINIO_PORT
		require_free_port "$JZ_MINIO_CONSOLE_PORT" JUANZONG_MINIO_CONSOLE_PORT
		log "starting on 127.0.0.1:$JZ_MINIO_PORT, console 127.0.0.1:$JZ_MINIO_CONSOLE_PORT (log $MINIO_LOG)"
		spawn "$MINIO_PID" "$MINIO_LOG" env HOME="$MINIO_DIR" \
			MINIO_ROOT_USER="$JZ_MINIO_USER" MINIO_ROOT_PASSWORD="$JZ_MINIO_PASSWORD" \
			MINIO_UPDATE=off MINIO_BROWSER_REDIRECT=off \
			"$MINIO_BIN" server --quiet --anonymous \
			--address "127.0.0.1:$JZ_MINIO_PORT" --console-address "127.0.0.1:$JZ_MINIO_CONSOLE_PORT" \
			--certs-dir "$MINIO_DIR/certs" "$MINIO_DIR/data"
	fi
	if ! wait_until 60 live; then
		tail -n 20 "$MINIO_LOG" >&2
		die "MinIO is not live on 127.0.0.1:$JZ_MINIO_PORT; see $MINIO_LOG"
	fi
	log "healthy: $(svc_env)"
}

svc_status() {
	if live_pid "$MINIO_PID" >/dev/null && live; then
		log "running and healthy on 127.0.0.1:$JZ_MINIO_PORT"
	else
		log "not running (start it with scripts/services/minio.sh start)"
		return 1
	fi
}

svc_stop() { stop_pidfile "$MINIO_PID" 30; }

svc_env() {
	echo "export JUANZONG_TEST_MINIO_URL='s3://$JZ_MINIO_USER:$JZ_MINIO_PASSWORD@127.0.0.1:$JZ_MINIO_PORT/$JZ_MINIO_BUCKET?secure=false&region=us-east-1'"
}

main "$@"

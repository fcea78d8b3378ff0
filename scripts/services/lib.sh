# shellcheck shell=bash disable=SC2034  # the variables are read by the scripts that source this
# Shared helpers for the service scripts in this folder (sourced, never run).
#
# Every server listens on 127.0.0.1 only, on a fixed non-default port, with its data under
# the run directory; what is downloaded or built is cached so the second run is quick.
#
#   JUANZONG_SERVICES_HOME  cache of downloads and builds (default ~/.cache/juanzong-services)
#   JUANZONG_SERVICES_RUN   data, logs and pid files      (default $JUANZONG_SERVICES_HOME/run)
#   JUANZONG_SERVICES_USER  unprivileged user the servers run as when started by root
#                           (default juanzong-svc; PostgreSQL and Elasticsearch refuse root)

JZ_HOME="${JUANZONG_SERVICES_HOME:-${HOME:-/root}/.cache/juanzong-services}"
JZ_RUN="${JUANZONG_SERVICES_RUN:-$JZ_HOME/run}"
JZ_SVC_USER="${JUANZONG_SERVICES_USER:-juanzong-svc}"

# Ports: fixed, non-default, overridable.
JZ_PG_PORT="${JUANZONG_PG_PORT:-55432}"
JZ_REDIS_PORT="${JUANZONG_REDIS_PORT:-56379}"
JZ_MINIO_PORT="${JUANZONG_MINIO_PORT:-59000}"
JZ_MINIO_CONSOLE_PORT="${JUANZONG_MINIO_CONSOLE_PORT:-59001}"
JZ_ES_PORT="${JUANZONG_ES_PORT:-59200}"
JZ_ES_TRANSPORT_PORT="${JUANZONG_ES_TRANSPORT_PORT:-59300}"

# Test credentials: loopback-only throw-away servers, never a deployment.
JZ_PG_USER=juanzong
JZ_PG_PASSWORD="${JUANZONG_PG_PASSWORD:-juanzong-test}"
JZ_PG_DB=juanzong
JZ_MINIO_USER="${JUANZONG_MINIO_USER:-juanzong}"
JZ_MINIO_PASSWORD="${JUANZONG_MINIO_PASSWORD:-juanzong-test-secret}"
JZ_MINIO_BUCKET="${JUANZONG_MINIO_BUCKET:-juanzong-test}"

log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${JZ_SERVICE:-services}" "$*" >&2; }
die() {
	log "ERROR: $*"
	exit 1
}

is_root() { [[ $EUID -eq 0 ]]; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Wait until "$@" succeeds, at most $1 seconds (checked every half second).
wait_until() {
	local timeout=$1
	shift
	local deadline=$((SECONDS + timeout))
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || return 1
		sleep 0.5
	done
}

# Install Debian packages (root only), without starting their system services.
apt_install() {
	is_root || die "missing $*; install it (apt-get install $*) or run this script as root"
	log "installing Debian packages: $*"
	# RUNLEVEL=1 keeps invoke-rc.d from starting the packages' own system-wide servers.
	if ! RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "$@" >&2; then
		log "apt-get install failed; refreshing the package lists once and retrying"
		apt-get update -q >&2
		RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "$@" >&2
	fi
}

# The unprivileged user the servers run as when this script runs as root.
ensure_svc_user() {
	is_root || return 0
	if ! id -u "$JZ_SVC_USER" >/dev/null 2>&1; then
		log "creating system user $JZ_SVC_USER (the servers refuse to run as root)"
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$JZ_SVC_USER"
	fi
	# The cache may sit under /root (mode 0700): let the service user traverse (x only) each
	# ancestor it cannot enter, with an ACL for that one user; nothing else changes.
	local dir="" part
	local -a parts
	IFS=/ read -r -a parts <<<"${JZ_HOME#/}"
	for part in "${parts[@]}"; do
		dir="$dir/$part"
		[[ -d $dir ]] || break
		if ! setpriv --reuid="$JZ_SVC_USER" --regid="$JZ_SVC_USER" --init-groups -- test -x "$dir"; then
			command -v setfacl >/dev/null || apt_install acl
			log "granting $JZ_SVC_USER traverse permission (ACL u:$JZ_SVC_USER:x) on $dir"
			setfacl -m "u:$JZ_SVC_USER:x" "$dir"
		fi
	done
}

# Run a command as the service user (as ourselves when not root), from the run directory
# (the caller's directory may be one the service user cannot enter). setpriv execs the
# command itself, so a pid we record is the server's own.
as_svc() {
	(
		cd "$JZ_RUN" || exit
		if is_root; then
			exec setpriv --reuid="$JZ_SVC_USER" --regid="$JZ_SVC_USER" --init-groups -- "$@"
		else
			exec "$@"
		fi
	)
}

# A directory owned by the service user.
svc_dir() {
	mkdir -p "$@"
	if is_root; then chown "$JZ_SVC_USER:" "$@"; fi
}

# Files owned by the service user (e.g. a log a server opens itself).
svc_touch() {
	touch "$@"
	if is_root; then chown "$JZ_SVC_USER:" "$@"; fi
}

# Start a long-running server in the background as the service user, detached from this
# shell, writing its pid (the server's own, not a wrapper's) to $1 and its output to $2.
spawn() {
	local pidfile=$1 logfile=$2
	shift 2
	local -a as=()
	is_root && as=(setpriv --reuid="$JZ_SVC_USER" --regid="$JZ_SVC_USER" --init-groups --)
	# One forked subshell that execs all the way down to the server: nothing lingers.
	# shellcheck disable=SC2016 # $$ and $@ expand in the child shell on purpose
	(
		cd "$JZ_RUN" || exit
		exec "${as[@]}" setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@"
	) </dev/null >>"$logfile" 2>&1 &
	wait_until 10 test -s "$pidfile" || die "server did not start; see $logfile"
}

# The pid in pidfile $1 if that process is alive (and, given $2, its command line contains
# $2: after a reboot or a kill the pid may belong to another program), else a non-zero status.
live_pid() {
	local pid
	[[ -s $1 ]] || return 1
	pid=$(<"$1")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
	if [[ -n ${2:-} ]] && ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$2"; then
		return 1
	fi
	echo "$pid"
}

# Stop the process in pidfile $1 (command line containing $3) with SIGTERM, then SIGKILL
# after $2 seconds.
stop_pidfile() {
	local pidfile=$1 grace=${2:-30} name=${3:-} pid
	if ! pid=$(live_pid "$pidfile" "$name"); then
		rm -f "$pidfile"
		log "not running"
		return 0
	fi
	log "stopping pid $pid"
	kill -TERM "$pid" 2>/dev/null || true
	if ! wait_until "$grace" bash -c "! kill -0 $pid"; then
		log "pid $pid still running after ${grace}s: sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		wait_until 10 bash -c "! kill -0 $pid" || die "cannot stop pid $pid"
	fi
	rm -f "$pidfile"
	log "stopped"
}

# Fail clearly when another program holds our port.
require_free_port() {
	if port_open "$1"; then
		die "port $1 on 127.0.0.1 is used by another program; stop it or choose another port ($2)"
	fi
}

usage_and_exit() {
	echo "usage: $0 {install|start|status|stop|env}  (up = start, down = stop)" >&2
	exit 2
}

# Dispatch the common sub-commands to functions named svc_install, svc_start, ….
main() {
	local cmd=${1:-start}
	mkdir -p "$JZ_HOME" "$JZ_RUN"
	case $cmd in
	install) svc_install ;;
	start | up) svc_start ;;
	status) svc_status ;;
	stop | down) svc_stop ;;
	env) svc_env ;;
	*) usage_and_exit ;;
	esac
}

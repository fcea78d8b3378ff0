#!/usr/bin/env bash
# All four servers of the scaled mode, for the service-backed tests.
#
#   scripts/services/all.sh up      install (cached) and start each; go on after a failure,
#                                   print a summary, exit non-zero if any failed
#   scripts/services/all.sh down    stop each
#   scripts/services/all.sh status  health of each; non-zero if any is not healthy
#   scripts/services/all.sh env     export lines for the tests, for healthy servers only:
#                                   eval "$(scripts/services/all.sh env)"
#
# JUANZONG_SERVICES="postgres redis" limits any command to those servers.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# Elasticsearch first: it is the slowest to come up.
read -r -a SERVICES <<<"${JUANZONG_SERVICES:-elasticsearch postgres redis minio}"

summary() {
	local cmd=$1 failed=0 svc start rc
	local -a lines=()
	shift
	for svc in "$@"; do
		start=$SECONDS
		rc=0
		"$HERE/$svc.sh" "$cmd" || rc=$?
		if ((rc == 0)); then
			lines+=("$(printf '  %-14s ok      %4ss' "$svc" $((SECONDS - start)))")
		else
			lines+=("$(printf '  %-14s FAILED  %4ss  (exit %s)' "$svc" $((SECONDS - start)) "$rc")")
			failed=$((failed + 1))
		fi
	done
	echo "services $cmd:" >&2
	printf '%s\n' "${lines[@]}" >&2
	if ((failed)); then
		echo "$failed of $((${#lines[@]})) failed" >&2
		return 1
	fi
}

case ${1:-} in
up | start) summary start "${SERVICES[@]}" ;;
down | stop)
	# Reverse order; stopping never fails the others.
	for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do "$HERE/${SERVICES[i]}.sh" stop || true; done
	;;
status) summary status "${SERVICES[@]}" ;;
env)
	for svc in "${SERVICES[@]}"; do
		if "$HERE/$svc.sh" status >/dev/null 2>&1; then
			"$HERE/$svc.sh" env
		else
			echo "# $svc is not running: start it with scripts/services/all.sh up" >&2
		fi
	done
	;;
*)
	echo "usage: $0 {up|down|status|env}" >&2
	exit 2
	;;
esac

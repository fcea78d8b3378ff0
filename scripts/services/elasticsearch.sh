#!/usr/bin/env bash
# Elasticsearch for the service-backed tests: the official integ-test-zip distribution from
# Maven Central (fetched with mvn, cached), run with a JDK of this machine as an unprivileged
# user, single node on 127.0.0.1:59200 (transport 59300), heap 512 MB.
#
#   scripts/services/elasticsearch.sh {install|start|status|stop|env}
#
# 8.19.21 is the newest integ-test-zip published there: no 9.x exists under that group (see
# docs/design/services.md). The Python client must be of the same major version (8.x).
set -euo pipefail
JZ_SERVICE=elasticsearch
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION="${JUANZONG_ES_VERSION:-8.19.21}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
ES_ZIP="$JZ_HOME/downloads/elasticsearch-$ES_VERSION.zip"
ES_HOME="$JZ_HOME/dist/elasticsearch-$ES_VERSION"
ES_DIR="$JZ_RUN/elasticsearch"
ES_CONF="$ES_DIR/config"
ES_PID="$ES_DIR/elasticsearch.pid"
ES_OUT="$ES_DIR/elasticsearch.out"
ES_HEAP="${JUANZONG_ES_HEAP:-512m}"
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

# Major version of the JDK in $1 (from its release file), or nothing.
jdk_major() {
	[[ -x $1/bin/java && -f $1/release ]] || return 1
	sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}

# ES 8.x runs on JDK 17 or later (we prefer the lowest, 17, its long-tested LTS); ES 9.x
# needs 21 or later (we take the newest). JUANZONG_ES_JAVA_HOME overrides the choice.
es_java_home() {
	if [[ -n ${JUANZONG_ES_JAVA_HOME:-} ]]; then
		echo "$JUANZONG_ES_JAVA_HOME"
		return 0
	fi
	local es_major=${ES_VERSION%%.*} minimum=17 jdk major
	((es_major >= 9)) && minimum=21
	local -a found=()
	for jdk in /usr/lib/jvm/*; do
		[[ -L $jdk ]] && continue
		major=$(jdk_major "$jdk") || continue
		((major >= minimum)) && found+=("$major $jdk")
	done
	((${#found[@]})) || return 1
	if ((es_major >= 9)); then
		printf '%s\n' "${found[@]}" | sort -n | tail -n 1 | cut -d' ' -f2-
	else
		printf '%s\n' "${found[@]}" | sort -n | head -n 1 | cut -d' ' -f2-
	fi
}

svc_install() {
	ensure_svc_user
	if [[ ! -f $ES_ZIP ]]; then
		command -v mvn >/dev/null || apt_install maven
		mkdir -p "$JZ_HOME/downloads" "$JZ_HOME/m2"
		log "downloading $ES_ARTIFACT with mvn (about 100 MB, once)"
		# Run outside any Maven project; checksums are verified (--strict-checksums).
		local mvn_log="$JZ_HOME/logs/elasticsearch-download.log"
		mkdir -p "$JZ_HOME/logs"
		if ! (cd "$JZ_HOME/downloads" && mvn -B -q --strict-checksums -Dstyle.color=never \
			-Dmaven.repo.local="$JZ_HOME/m2" "$DEPENDENCY_PLUGIN:copy" -Dartifact="$ES_ARTIFACT" \
			-DoutputDirectory="$JZ_HOME/downloads" -Dmdep.overWriteReleases=true >"$mvn_log" 2>&1); then
			tail -n 20 "$mvn_log" >&2
			die "mvn could not fetch $ES_ARTIFACT; see $mvn_log"
		fi
		[[ -f $ES_ZIP ]] || die "mvn finished but $ES_ZIP is missing"
	fi
	if [[ ! -x $ES_HOME/bin/elasticsearch ]]; then
		command -v unzip >/dev/null || apt_install unzip
		local tmp
		mkdir -p "$JZ_HOME/dist"
		tmp=$(mktemp -d "$JZ_HOME/dist/.unzip-XXXXXX")
		log "unpacking into $ES_HOME"
		unzip -q "$ES_ZIP" -d "$tmp" || die "cannot unzip $ES_ZIP (delete it to download again)"
		chmod -R a+rX "$tmp"
		rm -rf "$ES_HOME"
		mv "$tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
		rm -rf "$tmp"
	fi
	ES_JAVA=$(es_java_home) || die "no JDK able to run Elasticsearch $ES_VERSION under /usr/lib/jvm"
	log "Elasticsearch $ES_VERSION in $ES_HOME, JDK $(jdk_major "$ES_JAVA") at $ES_JAVA"
}

# Accepts only settings the distribution knows: integ-test-zip ships x-pack-security (so
# security must be switched off explicitly) but not ingest-geoip or analysis-common.
write_config() {
	svc_dir "$ES_DIR" "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
	if [[ ! -d $ES_CONF ]]; then
		cp -r "$ES_HOME/config" "$ES_CONF"
	fi
	mkdir -p "$ES_CONF/jvm.options.d"
	cat >"$ES_CONF/elasticsearch.yml" <<EOF
# Written by scripts/services/elasticsearch.sh on every start.
cluster.name: juanzong-test
node.name: juanzong-test-1
discovery.type: single-node
network.host: 127.0.0.1
http.port: $JZ_ES_PORT
transport.port: $JZ_ES_TRANSPORT_PORT
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
# A test node on a shared disk: never turn indices read-only because the disk is filling.
cluster.routing.allocation.disk.threshold_enabled: false
EOF
	if [[ -d $ES_HOME/modules/x-pack-security ]]; then
		echo "xpack.security.enabled: false" >>"$ES_CONF/elasticsearch.yml"
	fi
	if [[ -d $ES_HOME/modules/ingest-geoip ]]; then
		echo "ingest.geoip.downloader.enabled: false" >>"$ES_CONF/elasticsearch.yml"
	fi
	printf -- '-Xms%s\n-Xmx%s\n' "$ES_HEAP" "$ES_HEAP" >"$ES_CONF/jvm.options.d/juanzong-heap.options"
	if is_root; then chown -R "$JZ_SVC_USER:" "$ES_CONF"; fi
}

health() {
	curl -fsS -m 60 "http://127.0.0.1:$JZ_ES_PORT/_cluster/health?wait_for_status=yellow&timeout=50s" |
		grep -Eq '"status":"(green|yellow)"'
}

svc_start() {
	svc_install
	write_config
	if live_pid "$ES_PID" elasticsearch >/dev/null; then
		log "already running"
	else
		require_free_port "$JZ_ES_PORT" JUANZONG_ES_PORT
		require_free_port "$JZ_ES_TRANSPORT_PORT" JUANZONG_ES_TRANSPORT_PORT
		log "starting on 127.0.0.1:$JZ_ES_PORT (heap $ES_HEAP, logs $ES_DIR/logs)"
		svc_touch "$ES_OUT"
		# -d: the launcher returns once the node has started; -p: the node's own pid.
		if ! as_svc env HOME="$ES_DIR" ES_JAVA_HOME="$ES_JAVA" ES_PATH_CONF="$ES_CONF" \
			ES_TMPDIR="$ES_DIR/tmp" "$ES_HOME/bin/elasticsearch" -d -p "$ES_PID" >>"$ES_OUT" 2>&1; then
			tail -n 30 "$ES_OUT" >&2
			die "Elasticsearch did not start; see $ES_OUT and $ES_DIR/logs"
		fi
	fi
	# Up to five minutes: a loaded 2-core machine has been seen to need nearly two.
	if ! wait_until 300 health; then
		tail -n 30 "$ES_DIR/logs/juanzong-test.log" >&2 || true
		die "Elasticsearch is not yellow or green on 127.0.0.1:$JZ_ES_PORT; see $ES_DIR/logs"
	fi
	log "healthy: $(svc_env)"
}

svc_status() {
	if live_pid "$ES_PID" elasticsearch >/dev/null && health; then
		log "running and healthy on 127.0.0.1:$JZ_ES_PORT"
	else
		log "not running (start it with scripts/services/elasticsearch.sh start)"
		return 1
	fi
}

svc_stop() { stop_pidfile "$ES_PID" 60 elasticsearch; }

svc_env() { echo "export JUANZONG_TEST_ELASTICSEARCH_URL=http://127.0.0.1:$JZ_ES_PORT"; }

main "$@"

#!/usr/bin/env bash
# The read path against OPC UA (issue 18 item 8, for docs/benchmarks.md): starts an Eclipse Milo OPC UA
# server with N live Float tags (MiloPeer), then measures, one after the other and each from a warmed
# client JVM of its own that decodes every answer (ReadClient), one OPC UA Read of the N values from
# Milo and one POST /api/v1/query of N rows from the Nexus node given by --nexus. Prints both readpath
# lines and the ratio of their medians, measured in this run on this machine. The node is not
# started here: start it first (./nexus --port 18411 --home /tmp/nexus-bench) and pass its URL.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: nexus.bench/run-readpath.sh --nexus URL [--tags 10000] [--sql SELECT] [--format rows|columns|cbor]
                                   [--token TOKEN] [--clients 1] [--warmup 5] [--seconds 10] [--port 48401]

  --nexus URL      the node's base address (http://127.0.0.1:18411); required
  --tags N         values per read: Milo's tags read by one Read, the query's limit and rows (10000)
  --sql SELECT     the node's query (SELECT id FROM tags LIMIT <N>): it must select N tags
  --format F       the query answer's format, decoded as such (rows)
  --token TOKEN    an API token for the node, sent as Authorization: Bearer (none)
  --clients C      client threads of each measurement, a connection each (1)
  --warmup S       seconds read before each measurement, not measured (5)
  --seconds S      seconds measured, each (10)
  --port P         the Milo peer's opc.tcp port on 127.0.0.1 (48401)

Needs nexus.bench/target/benchmarks.jar:
  ./mvnw -B -o -Pbench -pl nexus.bench -am package -DskipTests
USAGE
}

nexus=""
tags=10000
sql=""
format=rows
token=""
clients=1
warmup=5
seconds=10
port=48401
while [ $# -gt 0 ]; do
  case "$1" in
    --nexus|--tags|--sql|--format|--token|--clients|--warmup|--seconds|--port)
      [ $# -ge 2 ] || { echo "run-readpath: $1 needs a value" >&2; usage >&2; exit 2; }
      case "$1" in
        --nexus) nexus=$2 ;;
        --tags) tags=$2 ;;
        --sql) sql=$2 ;;
        --format) format=$2 ;;
        --token) token=$2 ;;
        --clients) clients=$2 ;;
        --warmup) warmup=$2 ;;
        --seconds) seconds=$2 ;;
        --port) port=$2 ;;
      esac
      shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-readpath: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$nexus" ] || { echo "run-readpath: give the node's address: --nexus http://127.0.0.1:18411" >&2; usage >&2; exit 2; }
[ -n "$sql" ] || sql="SELECT id FROM tags LIMIT $tags"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench="$here/target/benchmarks.jar"
[ -f "$bench" ] || { echo "run-readpath: $bench is missing: build it with ./mvnw -B -o -Pbench -pl nexus.bench -am package -DskipTests" >&2; exit 2; }

logs=$(mktemp -d "${TMPDIR:-/tmp}/readpath.XXXXXX")
peer=""
stop_peer() {
  if [ -n "$peer" ] && kill -0 "$peer" 2>/dev/null; then
    kill "$peer" 2>/dev/null || true
    wait "$peer" 2>/dev/null || true
  fi
}
trap stop_peer EXIT
trap 'exit 130' INT TERM

java -cp "$bench" nexus.bench.readpath.MiloPeer --port "$port" --tags "$tags" >"$logs/milo-peer.log" 2>&1 &
peer=$!
endpoint=""
for _ in $(seq 1 120); do
  endpoint=$(sed -n 's/^ready \([^ ]*\).*/\1/p' "$logs/milo-peer.log")
  [ -n "$endpoint" ] && break
  kill -0 "$peer" 2>/dev/null || { echo "run-readpath: the Milo peer ended before it was ready:" >&2; cat "$logs/milo-peer.log" >&2; exit 1; }
  sleep 0.5
done
[ -n "$endpoint" ] || { echo "run-readpath: the Milo peer was not ready after 60 s (log: $logs/milo-peer.log)" >&2; exit 1; }

common=(--tags "$tags" --clients "$clients" --warmup "$warmup" --seconds "$seconds")
opcua=$(java -cp "$bench" nexus.bench.readpath.ReadClient --opcua "$endpoint" "${common[@]}")
echo "$opcua"
http_args=(--http "$nexus" --sql "$sql" --format "$format" "${common[@]}")
[ -z "$token" ] || http_args+=(--token "$token")
http=$(java -cp "$bench" nexus.bench.readpath.ReadClient "${http_args[@]}")
echo "$http"

p50() { sed -n 's/.* p50=\([0-9.]*\)ms.*/\1/p' <<<"$1"; }
ops() { sed -n 's|.* ops/s=\([0-9.]*\) .*|\1|p' <<<"$1"; }
awk -v mp="$(p50 "$opcua")" -v np="$(p50 "$http")" -v mo="$(ops "$opcua")" -v no="$(ops "$http")" \
    -v tags="$tags" -v clients="$clients" -v format="$format" 'BEGIN {
  printf "readpath ratio values=%d clients=%d format=%s milo-p50/nexus-p50=%.1f nexus-ops/milo-ops=%.1f", tags, clients, format, (np > 0 ? mp / np : 0), (mo > 0 ? no / mo : 0)
  printf " (OPC UA Read %.2f ms, HTTP query %.2f ms)\n", mp, np
}'

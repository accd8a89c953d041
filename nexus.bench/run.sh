#!/usr/bin/env bash
# Reproduces the tables of docs/benchmarks.md on this machine: one suite per table (or group of
# tables), each printing its figures with the load average beside them, ratios measured in the same
# run. Run from anywhere; builds what it needs first (offline when ~/.m2 has everything).
#
#   nexus.bench/run.sh                 # the read path at the limit (issue 18): about 12 minutes
#   nexus.bench/run.sh readpath memory # named suites, in order
#   nexus.bench/run.sh all             # every suite: about 100 minutes
#   nexus.bench/run.sh --list          # the suites and what they reproduce
#
# Needs: a JDK 17+, wrk (Debian package wrk), curl; for 'streams' and 'federation' what their
# tools/ scripts need (Mosquitto for federation); for 'console' chromium and chromium-driver.
# Results: printed, and kept with every tool's own output under nexus.bench/target/run/<time>/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
out="$root/nexus.bench/target/run/$(date +%Y%m%d-%H%M%S)"
jar="$root/nexus.bench/target/benchmarks.jar"
launcher="$root/nexus.distro/target/nexus.jar"
bare="$root/nexus.bench.bare/target/nexus.bench.bare-0.1.0-SNAPSHOT.jar"
tag_path=site1/area1/line1/tank2/level
seconds=${RUN_SECONDS:-10}   # each measured run; RUN_SECONDS=30 for steadier figures
warmup=${RUN_WARMUP:-5}

declare -A about=(
  [readpath]="Read path at the limit (issue 18): single-tag GET against the bare route; 10,000-row queries cold and cached, 1 and 16 clients, every format; the Milo OPC UA comparison"
  [jmh]="Every JMH table: RMA block reads, registry at a million tags, queries over 10,000 tags, scoped queries, alarms scan, find, /metrics writer, result cache, rows JSON, result formats"
  [writers]="Answer writers by CPU time: rows, columns, CBOR, Apache Arrow IPC, before and now, repeated rows kept"
  [memory]="Memory: the demo node after 10 minutes of mixed load"
  [million]="The 1,000,005-tag node: start to /health 200 and RSS, twice, each followed by a restart"
  [startup]="Start-up: six starts of the demo node to /health 200"
  [overload]="Overload: admission control under 400 concurrent queries and 200 expensive ones"
  [alarms]="Alarms: the alarm storm (10,000 activations in one scan of 100,000)"
  [loki]="Loki sink: 200,000 entries at batches of 1,000 and 100"
  [audit]="Audit trail: 4,000 records from 8 threads, synced"
  [snapshots]="Snapshots: export and restore dry run of 1,000,005 and 240,000 tags"
  [mcp]="MCP query tool round trip"
  [streams]="Live streams (tools/stream-bench): about 20 minutes"
  [federation]="Federation (tools/federation-bench, needs Mosquitto): about 3 minutes"
  [console]="Web console under load (needs chromium and chromium-driver)"
)
order=(readpath jmh writers memory million startup overload alarms loki audit snapshots mcp streams federation console)

load() { cut -d' ' -f1-3 /proc/loadavg; }
say() { printf '%s\n' "$*" | tee -a "$out/summary.txt"; }
section() { say ""; say "== $1 (load average $(load))"; }

build() {
  [ -n "${RUN_NO_BUILD:-}" ] && return 0
  echo "run.sh: building the node, the bare route and the benchmarks jar (tests skipped)..." >&2
  ./mvnw -B -q -o package -pl nexus.distro,nexus.bench.bare -am -DskipTests -Dmaven.antrun.skip \
    || ./mvnw -B -q package -pl nexus.distro,nexus.bench.bare -am -DskipTests -Dmaven.antrun.skip
  ./mvnw -B -q -o -Pbench -pl nexus.bench -am package -DskipTests -Dmaven.antrun.skip \
    || ./mvnw -B -q -Pbench -pl nexus.bench -am package -DskipTests -Dmaven.antrun.skip
}

# start_node HOME PORT: a node on HOME (made if missing), waits for /health 200; sets node_pid and
# node_start_ms (start to the first 200).
start_node() {
  local home=$1 port=$2 t0 code
  mkdir -p "$home"
  t0=$(date +%s%N)
  NEXUS_LAUNCHER="$launcher" ./nexus --port "$port" --home "$home" </dev/null >"$out/node-$port.out" 2>&1 &
  node_pid=$!
  for _ in $(seq 1 1200); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
    [ "$code" = 200 ] && break
    kill -0 "$node_pid" 2>/dev/null || { echo "run.sh: the node on $home did not start: $out/node-$port.out" >&2; exit 1; }
    sleep 0.05
  done
  [ "$code" = 200 ] || { echo "run.sh: the node on $home is not healthy after 60 s (curl localhost:$port/health)" >&2; exit 1; }
  node_start_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

stop_node() {
  [ -n "${node_pid:-}" ] || return 0
  kill -TERM "$node_pid" 2>/dev/null || true
  while kill -0 "$node_pid" 2>/dev/null; do sleep 0.1; done
  node_pid=
}
trap 'stop_node; [ -n "${peer_pid:-}" ] && kill "$peer_pid" 2>/dev/null; true' EXIT

rss_mb() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }

# wrk_rps URL [wrk options...]: requests per second of a 'seconds' run after a 'warmup' run
wrk_rps() {
  local url=$1; shift
  wrk -t1 -c16 -d"${warmup}s" "$@" "$url" >/dev/null
  wrk -t1 -c16 -d"${seconds}s" --latency "$@" "$url" | tee -a "$out/wrk.txt" | awk '/Requests\/sec/ {print $2}'
}

# read_client ARGS...: one line of nexus.bench.readpath.ReadClient (a separate, warmed, decoding client)
read_client() {
  java -cp "$jar" nexus.bench.readpath.ReadClient --warmup "$warmup" --seconds "$seconds" "$@" | tee -a "$out/clients.txt"
}
field() { sed -nE "s|.* $1=([^ ]+).*|\1|p" <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

# wrk_query SQL CLIENTS: "req/s p50 p99" of POST /api/v1/query by wrk (which reads the answers but does
# not decode them: the node's own time, the way the issue's earlier figures were taken)
wrk_query() {
  local lua="$out/query-$RANDOM.lua"
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [[{"sql": "%s"}]]\n' "$1" >"$lua"
  wrk -t1 -c"$2" -d"${warmup}s" -s "$lua" "$url/api/v1/query" >/dev/null
  wrk -t1 -c"$2" -d"${seconds}s" --latency -s "$lua" "$url/api/v1/query" | tee -a "$out/wrk.txt" \
    | awk '/Requests\/sec/ {rps=$2} $1=="50%" {p50=$2} $1=="99%" {p99=$2} END {print rps " req/s, p50 " p50 ", p99 " p99}'
}

# queries LABEL: both 10,000-row queries at 1 and 16 clients, by the decoding client and by wrk, with
# the 16-client throughput over the one-client throughput
queries() {
  local sql one sixteen
  for sql in "SELECT id FROM tags LIMIT 10000" "SELECT id, path, unit FROM tags LIMIT 10000"; do
    one=$(read_client --http "$url" --sql "$sql" --clients 1)
    sixteen=$(read_client --http "$url" --sql "$sql" --clients 16)
    say "$1, decoding client  $sql: 1 client $(field ops/s "$one") answers/s, p50 $(field p50 "$one"), p99 $(field p99 "$one");" \
      "16 clients $(field ops/s "$sixteen") answers/s, p50 $(field p50 "$sixteen"); scaling $(ratio "$(field ops/s "$sixteen")" "$(field ops/s "$one")")×"
    one=$(wrk_query "$sql" 1)
    sixteen=$(wrk_query "$sql" 16)
    say "$1, wrk              $sql: 1 client $one; 16 clients $sixteen; scaling $(ratio "${sixteen%% *}" "${one%% *}")×"
  done
}

suite_readpath() {
  local home="$out/readpath-home" port=18811 line bare_rps tag_rps sql clients
  mkdir -p "$home/deploy" "$home/etc"
  cp "$bare" "$home/deploy/"
  start_node "$home" $port
  url=http://127.0.0.1:$port
  until curl -sf -o /dev/null "$url/bench/bare"; do sleep 0.2; done
  sleep 5 # the simulator's first steps, the JIT's first compilations

  section "Single-tag GET against the bare route (wrk -t1 -c16, ${seconds} s after ${warmup} s, alternated twice)"
  for round in 1 2; do
    bare_rps=$(wrk_rps "$url/bench/bare")
    tag_rps=$(wrk_rps "$url/api/v1/tags/$tag_path")
    say "round $round: bare route $bare_rps req/s, GET /api/v1/tags/$tag_path $tag_rps req/s, ratio $(ratio "$tag_rps" "$bare_rps") (load $(load))"
  done

  section "10,000-row queries, cached (the result cache on, its default)"
  queries cached
  for format in columns cbor; do
    line=$(read_client --http "$url" --sql "SELECT id, path, unit FROM tags LIMIT 10000" --format $format)
    say "cached  format=$format  SELECT id, path, unit: p50 $(field p50 "$line"), $(field ops/s "$line") answers/s"
  done

  section "10,000-row queries, cold (cache.bytes = 0: guard, SQLite and planning every time)"
  printf '\ncache.bytes = 0\n' >>"$home/etc/nexus.query.cfg" # the last of a key wins
  sleep 4 # File Install passes the change on
  queries cold
  sed -i '/^cache.bytes = 0$/d' "$home/etc/nexus.query.cfg"
  sleep 4

  section "Milo 1.1.2 OPC UA Read of 10,000 values against SELECT id FROM tags LIMIT 10000, both from a separate decoding client"
  local peer_port=18812 nexus_line milo_line columns_line
  java -cp "$jar" nexus.bench.readpath.MiloPeer --port $peer_port --tags 10000 >"$out/milo.out" 2>&1 &
  peer_pid=$!
  for _ in $(seq 1 300); do grep -q ready "$out/milo.out" && break; sleep 0.1; done
  grep -q ready "$out/milo.out" || { echo "run.sh: the Milo peer did not start: $out/milo.out" >&2; exit 1; }
  milo_line=$(read_client --opcua "$(sed -nE 's/.*ready (opc\.tcp:[^ ]+).*/\1/p' "$out/milo.out")" --tags 10000)
  nexus_line=$(read_client --http "$url" --sql "SELECT id FROM tags LIMIT 10000")
  columns_line=$(read_client --http "$url" --sql "SELECT id FROM tags LIMIT 10000" --format columns)
  kill "$peer_pid" 2>/dev/null || true
  peer_pid=
  say "Milo OPC UA Read of 10,000: p50 $(field p50 "$milo_line"), p99 $(field p99 "$milo_line"), $(field ops/s "$milo_line") reads/s"
  say "Nexus HTTP, 10,000 values: p50 $(field p50 "$nexus_line"), p99 $(field p99 "$nexus_line"), $(field ops/s "$nexus_line") reads/s"
  say "Nexus is $(ratio "$(field p50 "$milo_line" | tr -d 'ms')" "$(field p50 "$nexus_line" | tr -d 'ms')")× faster at the median (target ≥ 10×)," \
    "$(ratio "$(field ops/s "$nexus_line")" "$(field ops/s "$milo_line")")× the reads a second"
  say "Nexus HTTP, 10,000 values, ?format=columns: p50 $(field p50 "$columns_line"), $(field ops/s "$columns_line") reads/s:" \
    "$(ratio "$(field p50 "$milo_line" | tr -d 'ms')" "$(field p50 "$columns_line" | tr -d 'ms')")× at the median," \
    "$(ratio "$(field ops/s "$columns_line")" "$(field ops/s "$milo_line")")× the reads a second"
  stop_node
}

suite_jmh() {
  section "JMH (jar: $jar)"
  local b
  for b in BlockReadBenchmark RegistryLoadBenchmark QueryBenchmark ScopedQueryBenchmark AlarmScanBenchmark \
      FindBenchmark MetricsRenderBenchmark RowsJsonBenchmark QueryFormatsBenchmark; do
    say "-- $b (load $(load))"
    java -jar "$jar" "$b" -prof gc -rf text -rff "$out/jmh-$b.txt" >"$out/jmh-$b.log" 2>&1 || say "   FAILED: $out/jmh-$b.log"
    grep -vE '^\s*$' "$out/jmh-$b.txt" | grep -vE 'gc\.(count|time|alloc\.rate )' | tee -a "$out/summary.txt" || true
  done
}

# The query writers by the CPU time of the writing thread, variants interleaved round by round (steadier
# than JMH's wall time on a shared machine); java.nio opened for Apache Arrow's memory module.
suite_writers() {
  section "Answer writers, CPU time per 10,000-row answer"
  java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$jar" nexus.api.http.internal.AnswerCpuTime 60 2>&1 \
    | grep -v '^SLF4J' | tee -a "$out/summary.txt"
}

# The demo node under 10 minutes of mixed load: 10,000-row queries (2 clients), single-tag GETs, and
# a stream subscriber; RSS at the end and a minute after.
suite_memory() {
  local home="$out/memory-home" port=18821 url mixed=${RUN_MIXED_SECONDS:-600}
  start_node "$home" $port
  url=http://127.0.0.1:$port
  section "Demo node (10,002 tags) under ${mixed} s of mixed load"
  say "started: /health 200 after $node_start_ms ms; RSS $(rss_mb $node_pid) MB"
  java -cp "$jar" nexus.bench.readpath.ReadClient --http "$url" --sql "SELECT id, path, unit FROM tags LIMIT 10000" \
    --clients 2 --warmup 0 --seconds "$mixed" >"$out/memory-queries.txt" &
  local q=$!
  wrk -t1 -c4 -d"${mixed}s" "$url/api/v1/tags/$tag_path" >"$out/memory-gets.txt" &
  local g=$!
  local peak=0 now
  while kill -0 $q 2>/dev/null; do
    now=$(rss_mb $node_pid); [ "$now" -gt "$peak" ] && peak=$now
    sleep 5
  done
  wait $q $g || true
  say "after the load: RSS $(rss_mb $node_pid) MB (peak $peak MB) (target < 300 MB)"
  sleep 60
  say "a minute later: RSS $(rss_mb $node_pid) MB; $(jcmd $node_pid GC.heap_info | sed -n 2p | tr -s ' ')"
  stop_node
}

# The 1,000,005-tag demo registry: start to /health 200, RSS 30 s and 2 minutes later (G1 gives the
# start's transient heap back at the end of its first marking cycles).
suite_million() {
  section "1,000,005-tag node"
  local big="$out/big.db" bighome="$out/million-home"
  [ -f "${RUN_MILLION_DB:-}" ] && cp "$RUN_MILLION_DB" "$big" || NEXUS_LAUNCHER="$launcher" ./nexus registry demo "$big" 1000000 >/dev/null
  for run in 1 2; do
    rm -rf "$bighome"; mkdir -p "$bighome/data" "$bighome/etc"
    cp "$big" "$bighome/data/registry.db"
    cp nexus.distro/home/etc/nexus.rma.cfg "$bighome/etc/"
    sed -i 's/^banks *=.*/banks = process:8m, alarms:64k/' "$bighome/etc/nexus.rma.cfg"
    start_node "$bighome" 18822
    local after=$node_start_ms early
    sleep 30
    early=$(rss_mb $node_pid)
    sleep 90
    say "run $run: start to /health 200 $after ms (target < 3 s); RSS 30 s later $early MB, 2 minutes later $(rss_mb $node_pid) MB (target < 600 MB)"
    stop_node
    # the same home again, its registry file unchanged: the last good copy is served without validating anew
    start_node "$bighome" 18822
    say "run $run: restart, the file unchanged: start to /health 200 $node_start_ms ms; $(grep -c 'unchanged since its last good copy' "$out/node-18822.out") reuse logged"
    stop_node
  done
}

suite_startup() {
  section "Start-up of the demo node, six times"
  local home="$out/startup-home" n
  for n in 1 2 3 4 5 6; do
    start_node "$home" 18831
    say "run $n: /health 200 after $node_start_ms ms"
    stop_node
  done
}

suite_overload() {
  local home="$out/overload-home" port=18841
  start_node "$home" $port
  section "Overload"
  java tools/OverloadLoad.java $port 4 50 honour | tee -a "$out/summary.txt"
  seq 400 | xargs -P 100 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST localhost:$port/api/v1/query \
    -H 'Content-Type: application/json' \
    -d '{"sql": "SELECT id, path FROM tags WHERE path LIKE '"'"'site1/area1/line1/tank2/%'"'"'"}' | sort | uniq -c | tee -a "$out/summary.txt"
  curl -s localhost:$port/metrics | grep -E '^nexus_query_(admitted|refused)' | tee -a "$out/summary.txt"
  stop_node
}

suite_alarms() {
  section "Alarm storm"
  java -cp "$jar" nexus.alarm.internal.AlarmStorm 100000 10000 60 | tee -a "$out/summary.txt"
}

suite_loki() {
  section "Loki sink"
  java -cp "$jar" nexus.loki.internal.LokiLoad 200000 1000 | tee -a "$out/summary.txt"
  java -cp "$jar" nexus.loki.internal.LokiLoad 200000 100 | tee -a "$out/summary.txt"
}

suite_audit() {
  section "Audit trail"
  java -cp "$jar" nexus.audit.internal.AuditLoad "$out" 4000 8 | tee -a "$out/summary.txt"
}

suite_snapshots() {
  section "Snapshots"
  java -Xmx3g -cp "$jar" nexus.query.internal.SnapshotLoad 1000000 "$out/r1m.db" | tee -a "$out/summary.txt"
  java -Xmx2g -cp "$jar" nexus.query.internal.SnapshotLoad 240000 "$out/r240k.db" | tee -a "$out/summary.txt"
}

suite_mcp() {
  local home="$out/mcp-home" port=18851
  mkdir -p "$home/etc"
  printf 'rate.per.minute = 1000000\nrate.burst = 100000\n' >"$home/etc/nexus.mcp.cfg"
  start_node "$home" $port
  section "MCP query tool round trip"
  java -cp "$jar" nexus.bench.mcp.McpQueryRoundTrip --url http://127.0.0.1:$port --calls 3000 --warmup 500 | tee -a "$out/summary.txt"
  stop_node
}

suite_streams() {
  section "Live streams"
  tools/stream-bench | tee -a "$out/summary.txt"
}

suite_federation() {
  section "Federation"
  tools/federation-bench | tee -a "$out/summary.txt"
}

suite_console() {
  local home="$out/console-home" port=18861
  start_node "$home" $port
  section "Web console, demo plant"
  java -cp "$jar" nexus.bench.console.ConsoleLoad --url http://127.0.0.1:$port --seconds 30 | tee -a "$out/summary.txt"
  stop_node
}

suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then suites=(readpath); fi
if [ "${suites[0]}" = --list ] || [ "${suites[0]}" = -h ] || [ "${suites[0]}" = --help ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  echo
  for s in "${order[@]}"; do printf '  %-11s %s\n' "$s" "${about[$s]}"; done
  exit 0
fi
[ "${suites[0]}" = all ] && suites=("${order[@]}")
for s in "${suites[@]}"; do
  [ -n "${about[$s]:-}" ] || { echo "run.sh: no suite '$s': nexus.bench/run.sh --list names them" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "run.sh: wrk is missing: apt-get install wrk" >&2; exit 1; }
mkdir -p "$out"
build
say "RMA Nexus benchmarks, $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1)"
for s in "${suites[@]}"; do
  "suite_$s"
done
say ""
say "Everything above, and each tool's own output: $out"

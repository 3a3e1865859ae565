#!/usr/bin/env bash
# Starts the service jar on a bundle and an index, measures its cold start (ColdStart), then runs
# load phases back to back (LoadDriver), recording `uptime` before each. See docs/benchmarks.md.
#
#   bench/scripts/service-load.sh JAR BUNDLE INDEX OUT_DIR "PHASES" [extra service arguments]
#
# PHASES: space-separated open:RATE (open loop, RATE requests/s), open:x2 (twice the highest ok/s
# of the open phases before it: 2x saturation), closed:N (N connections), seq:N (N sequential
# requests, right after the previous phase), polite:RATE:N / storm:RATE:N (open loop at RATE with N
# closed-loop uploaders of UPLOAD_FILE that wait a 503's Retry-After / resend at once); none: the
# cold start only. Each phase's line is followed by the service's CPU seconds in it (utime + stime).
# Env: SECONDS_PER_PHASE (15), MODE (vector), PORT (28080), MPORT (28081), PHOTO (a JPEG for
# ColdStart's uploads, optional), TEXT_DEADLINE_MS / PHOTO_DEADLINE_MS (ColdStart's
# X-Request-Deadline-Ms), COLD_ROUNDS (ColdStart --rounds), UPLOAD_FILE, SERVICE_XMX (2g), BENCH_CLASSES (bench/target/classes). Run from the repository root after
#   ./mvnw -B -ntp -pl service,bench -am package -DskipTests
set -euo pipefail
jar=$1 bundle=$2 index=$3 out=$4 phases=$5
shift 5
port=${PORT:-28080} mport=${MPORT:-28081} secs=${SECONDS_PER_PHASE:-15} mode=${MODE:-vector}
java="${JAVA_HOME:?set JAVA_HOME}/bin/java"
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
mkdir -p "$out"
setsid "$java" -Xmx"${SERVICE_XMX:-2g}" ${SERVICE_JAVA_OPTS:-} --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true -Djava.awt.headless=true -jar "$jar" \
  --server.port="$port" --management.server.port="$mport" \
  --shopsearch.model.bundle-dir="$bundle" --shopsearch.index.root="$index" \
  --shopsearch.model.intra-op-threads=1 --shopsearch.overload.max-encode-concurrency=2 \
  --shopsearch.cache.enabled=false "$@" > "$out/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
cold=(--pid="$pid" --url="http://127.0.0.1:$port" --management="http://127.0.0.1:$mport" --queries=20 --mode="$mode")
if [[ -n "${PHOTO:-}" ]]; then cold+=(--photo="$PHOTO" --photos=5); fi
if [[ -n "${TEXT_DEADLINE_MS:-}" ]]; then cold+=(--text-deadline-ms="$TEXT_DEADLINE_MS"); fi
if [[ -n "${PHOTO_DEADLINE_MS:-}" ]]; then cold+=(--photo-deadline-ms="$PHOTO_DEADLINE_MS"); fi
if [[ -n "${COLD_ROUNDS:-}" ]]; then cold+=(--rounds="$COLD_ROUNDS"); fi
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tck=$(getconf CLK_TCK)
echo "{\"uptime\":\"$(uptime)\"}" >> "$out/results.jsonl"
"$java" -cp "${BENCH_CLASSES:-bench/target/classes}" dev.shopsearch.bench.ColdStart "${cold[@]}" | tee -a "$out/results.jsonl"
ld=(setsid "$java" -cp "${BENCH_CLASSES:-bench/target/classes}" dev.shopsearch.bench.LoadDriver --url="http://127.0.0.1:$port"
    --mode="$mode" --k=10 --unique=true)
first=true saturation=0
for phase in $phases; do
  kind=${phase%%:*} n=${phase#*:}
  [[ $kind == none ]] && continue
  if [[ $phase == open:x2 ]]; then n=$(awk -v s="$saturation" 'BEGIN {printf "%.0f", 2 * s}'); fi
  warm=0; if $first; then warm=3; first=false; fi
  echo "{\"phase\":\"$phase\",\"uptime\":\"$(uptime)\"}" >> "$out/results.jsonl"
  before=$(cpu)
  case $kind in
    open) "${ld[@]}" --rate="$n" --seconds="$secs" --warmup="$warm" ;;
    closed) "${ld[@]}" --connections="$n" --seconds="$secs" --warmup="$warm" ;;
    seq) "${ld[@]}" --connections=1 --requests="$n" --seconds=600 --warmup=0 ;;
    polite | storm)
      retry=false; [[ $kind == polite ]] && retry=true
      "${ld[@]}" --rate="${n%%:*}" --seconds="$secs" --warmup="$warm" --upload-clients="${n#*:}" \
        --upload-file="${UPLOAD_FILE:?set UPLOAD_FILE}" --upload-retry-after="$retry" ;;
    *) echo "unknown phase $phase" >&2; exit 2 ;;
  esac | tee -a "$out/results.jsonl" > "$out/last.json"
  cat "$out/last.json"
  echo "{\"phase\":\"$phase\",\"serviceCpuSeconds\":$(awk -v a="$before" -v b="$(cpu)" -v t="$tck" 'BEGIN {printf "%.2f", (b - a) / t}')}" | tee -a "$out/results.jsonl"
  if [[ $kind == open && $phase != open:x2 ]]; then
    ok=$(grep -o '"okThroughput":[0-9.]*' "$out/last.json" | cut -d: -f2)
    saturation=$(awk -v s="$saturation" -v o="${ok:-0}" 'BEGIN {print (o > s ? o : s)}')
  fi
done
curl -fsS "http://127.0.0.1:$mport/actuator/prometheus" | grep -E '^search_shed_total|^search_stage_seconds_(sum|count)' > "$out/metrics.txt" || true

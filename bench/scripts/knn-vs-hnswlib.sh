#!/usr/bin/env bash
# The embedded kNN stage against hnswlib-node on the same vectors (docs/benchmarks.md, "Embedded kNN
# vs hnswlib"). Run from the repository root after
#   ./mvnw -B -ntp -o -q -pl bench -am package -DskipTests && (cd bench/hnswlib && npm ci)
#
#   bench/scripts/knn-vs-hnswlib.sh WORK_DIR [prepare|search]
#
# prepare: exports 200,000 clustered 512-d vectors + 1,000 queries with their exact neighbours
#   (KnnStageBench export), builds the Lucene indexes (float, int7; cosine as the bundles declare)
#   and the hnswlib index (M=16, efConstruction=100) once.
# search: records `uptime`, then interleaves the two engines: for each of ROUNDS passes, hnswlib
#   over EF, then Lucene float and int7 over CANDIDATES, each single-threaded over the query SET
#   (tune: queries 0-499, used to choose constants; holdout: 500-999). Env: SET (tune), ROUNDS (3),
#   EF, CANDIDATES, WINDOW (10: the hits kept; the service keeps num-candidates=100), K (10).
set -euo pipefail
work=$1 step=${2:-search}
java="${JAVA_HOME:?set JAVA_HOME}/bin/java"
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
jvm=(-Xmx2g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
data=$work/data.bin
mkdir -p "$work"
if [[ $step == prepare ]]; then
  [[ -f $data ]] || "$java" -Xmx3g "${jvm[@]:1}" -cp "$cp" dev.shopsearch.bench.KnnStageBench export \
    --out="$data" --products=200000 --dim=512 --clusters=1000 --queries=1000 --truth=100
  for f in float int7; do
    [[ -d $work/$f ]] || "$java" "${jvm[@]}" -cp "$cp" dev.shopsearch.bench.KnnStageBench index \
      --data="$data" --out="$work/$f" --format=$f --similarity=cosine
  done
  node bench/hnswlib/knn-bench.js --data="$data" --index="$work/hnsw-m16-ef100.bin" --rounds=0
  exit 0
fi
set_=${SET:-tune} rounds=${ROUNDS:-3} k=${K:-10} window=${WINDOW:-10}
ef=${EF:-10,16,24,32,48,64,100} cands=${CANDIDATES:-10,16,24,32,48,64,100}
echo "# $(date -u +%FT%TZ) $(uptime)"
for ((r = 0; r < rounds; r++)); do
  node bench/hnswlib/knn-bench.js --data="$data" --index="$work/hnsw-m16-ef100.bin" \
    --ef="$ef" --k="$k" --set="$set_" --rounds=1 | grep '"engine":"hnswlib"'
  for f in float int7; do
    "$java" "${jvm[@]}" -cp "$cp" dev.shopsearch.bench.KnnStageBench search --data="$data" \
      --index="$work/$f" --format=$f --candidates="$cands" --window="$window" --k="$k" \
      --set="$set_" --rounds=2 2>/dev/null | grep '"round":1'
  done
  echo "# $(date -u +%FT%TZ) $(uptime)"
done

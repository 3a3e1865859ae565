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
#   (k=10 over EF10, k=100 over EF100), then Lucene float and int7 (and EXTRA_INDEXES, e.g.
#   float-dot) with window 10 over C10 and with the service's window of 100 over C100 candidates,
#   each single-threaded over the query SET (tune: queries 0-499, used to choose the constants;
#   holdout: 500-999, to report them). Env: SET (holdout), ROUNDS (3), EF10, EF100, C10, C100.
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
  [[ -d $work/float-dot ]] || "$java" "${jvm[@]}" -cp "$cp" dev.shopsearch.bench.KnnStageBench \
    index --data="$data" --out="$work/float-dot" --format=float --similarity=dot
  node bench/hnswlib/knn-bench.js --data="$data" --index="$work/hnsw-m16-ef100.bin" --rounds=0
  exit 0
fi
set_=${SET:-holdout} rounds=${ROUNDS:-3}
lucene() { # FORMAT WINDOW K CANDIDATES: a warm-up round, then the measured one
  "$java" "${jvm[@]}" -cp "$cp" dev.shopsearch.bench.KnnStageBench search --data="$data" \
    --index="$work/$1" --format="${1%-dot}" --window="$2" --k="$3" --candidates="$4" \
    --set="$set_" --rounds=2 2>/dev/null | grep '"round":1'
}
hnswlib() { # K EF
  node bench/hnswlib/knn-bench.js --data="$data" --index="$work/hnsw-m16-ef100.bin" \
    --k="$1" --ef="$2" --set="$set_" --rounds=1 | grep '"engine":"hnswlib"'
}
echo "# $(date -u +%FT%TZ) $(uptime)"
for ((r = 0; r < rounds; r++)); do
  # the top-10 stage (window 10), then the service's window (num-candidates=100, recall@100)
  hnswlib 10 "${EF10:-64,80,100}"
  hnswlib 100 "${EF100:-100,150}"
  for f in float int7 ${EXTRA_INDEXES:-}; do
    lucene "$f" 10 10 "${C10:-64,80,100}"
    lucene "$f" 100 100 "${C100:-100,150,200}"
  done
  echo "# $(date -u +%FT%TZ) $(uptime)"
done

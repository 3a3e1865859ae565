#!/usr/bin/env node
// hnswlib-node side of the embedded kNN comparison (docs/benchmarks.md, "Embedded kNN vs hnswlib").
//
// Reads the file written by `KnnStageBench export` (little-endian: int magic 'KNN1', n, dim,
// queries, truth; float[n*dim] vectors; float[queries*dim] queries; int[queries*truth] exact
// neighbours), builds an HNSW index with Lucene's defaults (M=16, efConstruction=100 = Lucene's
// beam width; hnswlib's level 0 has 2*M links like Lucene's), inner-product space (the vectors are
// unit norm), or loads it from --index when that file exists, then for each ef searches every query
// of the set single-threaded and prints mean/p50/p99 latency per query and recall@k, one JSON line
// per round. The timed call is searchKnn(query, k) with the query as a plain JS array (the API takes
// no typed arrays), so the copy into the addon is part of the time, as it is for any caller. CPU
// time per query (process.cpuUsage, user + system, microsecond resolution) is printed too: a loaded
// machine inflates wall-clock latencies, not CPU time.
//
//   node knn-bench.js --data=/tmp/knn/data.bin --index=/tmp/knn/hnsw-m16-ef100.bin \
//     --ef=10,16,24,32,48,64,100 [--k=10 --set=tune|holdout|all --rounds=3 --m=16 --ef-construction=100]
'use strict';
const fs = require('fs');
const { HierarchicalNSW } = require('hnswlib-node');

function args() {
  const a = {
    k: '10', set: 'tune', rounds: '3', m: '16', 'ef-construction': '100', ef: '10,16,24,32,48,64,100',
    seed: '100',
  };
  for (const s of process.argv.slice(2)) {
    const m = /^--([^=]+)=(.*)$/.exec(s);
    if (!m) throw new Error(`arguments are --name=value; got '${s}'`);
    a[m[1]] = m[2];
  }
  if (!a.data) throw new Error('--data is required (the KnnStageBench export)');
  return a;
}

function read(file) {
  const buf = fs.readFileSync(file);
  const h = new Int32Array(buf.buffer, buf.byteOffset, 5);
  if (h[0] !== 0x314e4e4b) throw new Error(`${file} is not a KnnStageBench export (magic KNN1)`);
  const [, n, dim, nq, truthK] = h;
  const at = buf.byteOffset + 20;
  const base = new Float32Array(buf.buffer, at, n * dim);
  const queries = new Float32Array(buf.buffer, at + 4 * n * dim, nq * dim);
  const truth = new Int32Array(buf.buffer, at + 4 * (n + nq) * dim, nq * truthK);
  return { n, dim, nq, truthK, base, queries, truth };
}

function main() {
  const a = args();
  const d = read(a.data);
  const k = Number(a.k);
  const index = new HierarchicalNSW('ip', d.dim);
  let buildSeconds = null;
  if (a.index && fs.existsSync(a.index)) {
    index.readIndexSync(a.index);
  } else {
    const t0 = process.hrtime.bigint();
    index.initIndex(d.n, Number(a.m), Number(a['ef-construction']), Number(a.seed));
    for (let i = 0; i < d.n; i++) {
      index.addPoint(Array.from(d.base.subarray(i * d.dim, (i + 1) * d.dim)), i);
    }
    buildSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (a.index) index.writeIndexSync(a.index);
  }
  console.log(JSON.stringify({
    engine: 'hnswlib-node', points: index.getCurrentCount(), dim: d.dim, m: Number(a.m),
    efConstruction: Number(a['ef-construction']),
    buildSeconds: buildSeconds === null ? 'loaded' : Number(buildSeconds.toFixed(1)),
  }));
  const half = Math.floor(d.nq / 2);
  const [from, to] = a.set === 'tune' ? [0, half] : a.set === 'holdout' ? [half, d.nq]
    : a.set === 'all' ? [0, d.nq] : (() => { throw new Error(`--set must be tune, holdout or all; got '${a.set}'`); })();
  const queries = [];
  for (let q = from; q < to; q++) {
    queries.push(Array.from(d.queries.subarray(q * d.dim, (q + 1) * d.dim)));
  }
  for (const ef of a.ef.split(',').map(Number)) {
    index.setEf(ef);
    for (let round = 0; round < Number(a.rounds); round++) {
      const nanos = new Float64Array(queries.length);
      const cpu = new Float64Array(queries.length);
      let recall = 0;
      for (let i = 0; i < queries.length; i++) {
        const c0 = process.cpuUsage();
        const t0 = process.hrtime.bigint();
        const res = index.searchKnn(queries[i], k);
        nanos[i] = Number(process.hrtime.bigint() - t0);
        const c = process.cpuUsage(c0);
        cpu[i] = (c.user + c.system) * 1000;
        const truth = d.truth.subarray((from + i) * d.truthK, (from + i) * d.truthK + k);
        let hits = 0;
        for (const id of res.neighbors) if (truth.includes(id)) hits++;
        recall += hits / k;
      }
      const sorted = Array.from(nanos).sort((x, y) => x - y);
      const mean = sorted.reduce((s, x) => s + x, 0) / sorted.length;
      const cpuSorted = Array.from(cpu).sort((x, y) => x - y);
      const cpuMean = cpuSorted.reduce((s, x) => s + x, 0) / cpuSorted.length;
      console.log(JSON.stringify({
        engine: 'hnswlib', set: a.set, queries: queries.length, ef: Math.max(ef, k), round,
        meanMs: +(mean / 1e6).toFixed(3), p50Ms: +(sorted[sorted.length >> 1] / 1e6).toFixed(3),
        p99Ms: +(sorted[Math.ceil(sorted.length * 0.99) - 1] / 1e6).toFixed(3),
        cpuMeanMs: +(cpuMean / 1e6).toFixed(3), cpuP50Ms: +(cpuSorted[cpuSorted.length >> 1] / 1e6).toFixed(3),
        cpuP99Ms: +(cpuSorted[Math.ceil(cpuSorted.length * 0.99) - 1] / 1e6).toFixed(3),
        [`recallAt${k}`]: +(recall / queries.length).toFixed(4),
      }));
    }
  }
}

main();

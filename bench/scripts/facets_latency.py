#!/usr/bin/env python3
"""Latency of plain search vs search with facets vs suggestions, against a running service.

Sequential requests (one client), the same queries for every variant, in turn (plain, facets,
facets with a selected colour, suggest) so that load drifts hit them alike. Prints, per variant,
p50 and p99 of the server's `timings.total` (ms) and of the client round trip (ms).

    bench/scripts/facets_latency.py http://127.0.0.1:18480 [mode] [requests-per-variant] [seed]

Queries: English and Chinese captions of the demo catalog (built for its vocabulary).
"""
import json
import random
import sys
import time
import urllib.parse
import urllib.request

QUERIES = ["red floral dress", "blue striped shirt", "black boots", "navy polka-dot cap",
           "green checked skirt", "white sneakers", "grey hoodie", "pink floral top",
           "brown boots", "yellow striped shorts", "purple handbag", "orange backpack",
           "红色碎花连衣裙", "蓝色条纹T恤", "黑色靴子", "白色运动鞋"]
COLOURS = ["red", "blue", "black", "green", "white", "grey"]
PREFIXES = ["fl", "flo", "dre", "str", "sne", "bac", "hoo", "red f", "blue s", "women / d"]

base = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "hybrid"
n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)


def get(path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=30) as r:
        body = json.load(r)
    return body, (time.perf_counter() - start) * 1000


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


variants = {"plain": [], "facets": [], "facets+colour": [], "suggest": []}
client = {k: [] for k in variants}
for _ in range(n):
    q = urllib.parse.quote(rnd.choice(QUERIES))
    base_q = "/v1/search?k=24&mode=" + mode + "&q=" + q
    paths = {"plain": base_q, "facets": base_q + "&facets=true",
             "facets+colour": base_q + "&facets=true&colour=" + rnd.choice(COLOURS),
             "suggest": "/v1/suggest?q=" + urllib.parse.quote(rnd.choice(PREFIXES))}
    for name, path in paths.items():
        body, ms = get(path)
        variants[name].append(body["millis"] if name == "suggest" else body["timings"]["total"])
        client[name].append(ms)

for name in variants:
    print(json.dumps({"variant": name, "mode": mode, "n": n,
                      "server_p50": round(pct(variants[name], 50), 3),
                      "server_p99": round(pct(variants[name], 99), 3),
                      "client_p50": round(pct(client[name], 50), 3),
                      "client_p99": round(pct(client[name], 99), 3)}))

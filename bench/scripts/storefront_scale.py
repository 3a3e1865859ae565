#!/usr/bin/env python3
"""Latency of plain search, facets, sort by price and suggestions at catalog scale.

Against a running service over a `BenchSetup storefront-index` generation (SyntheticCatalog's
vocabulary). Per round, the same random query as: plain lexical search (k=24: match set, exact
total, first page), with facets (facets=true), sorted by price (sort=price_asc), and one
suggestion (/v1/suggest, a random 2-5 letter prefix of a catalog word). Prints, per variant, p50
and p99 of the server-side time (`timings.total`; suggest: `millis`) and of the client round trip,
and the median number of matching products.

    bench/scripts/storefront_scale.py http://127.0.0.1:18680 [rounds-per-client] [seed] [clients]

With clients=2 two threads run the same loop (seeds seed and seed+1000) at once; the percentiles
are over all their requests.
"""
import json
import random
import sys
import threading
import time
import urllib.parse
import urllib.request

# broad (a type or a material: 10^4-10^5 matches) to narrow (colour + material + type, a brand)
QUERIES = ["dress", "jeans", "sneakers", "cotton", "wool coat", "black t-shirt", "leather bag",
           "linen shirt", "floral dress", "navy chinos", "running shoes", "cashmere jumper",
           "yoga leggings", "silk scarf", "denim jacket", "bath towel", "organic cotton romper",
           "burgundy velvet blazer", "striped", "waterproof hiking boots", "lipstick",
           "merino cardigan", "white sneakers", "green parka"]
PREFIX_WORDS = ["dress", "sneakers", "cardigan", "leather", "cotton", "jacket", "women",
                "blazer", "shoes", "towel", "serum", "backpack", "velvet", "linen", "boots"]

base = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 100
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 1
NAMES = ["plain", "facets", "price_asc", "suggest"]


def get(path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=60) as r:
        body = json.load(r)
    return body, (time.perf_counter() - start) * 1000


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


server = {k: [] for k in NAMES}
client = {k: [] for k in NAMES}
totals = {k: [] for k in NAMES}
lock = threading.Lock()


def run(client_seed):
    rnd = random.Random(client_seed)
    for _ in range(rounds):
        q = urllib.parse.quote(rnd.choice(QUERIES))
        base_q = "/v1/search?k=24&mode=lexical&q=" + q
        word = rnd.choice(PREFIX_WORDS)
        prefix = word[:rnd.randint(2, min(5, len(word)))]
        paths = {"plain": base_q, "facets": base_q + "&facets=true",
                 "price_asc": base_q + "&sort=price_asc",
                 "suggest": "/v1/suggest?q=" + urllib.parse.quote(prefix)}
        for name, path in paths.items():
            body, ms = get(path)
            with lock:
                server[name].append(body["millis"] if name == "suggest" else body["timings"]["total"])
                client[name].append(ms)
                totals[name].append(len(body["suggestions"]) if name == "suggest" else body["total"])


threads = [threading.Thread(target=run, args=(seed + 1000 * c,)) for c in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()

for name in NAMES:
    print(json.dumps({"variant": name, "clients": clients, "n": len(server[name]),
                      "server_p50": round(pct(server[name], 50), 3),
                      "server_p99": round(pct(server[name], 99), 3),
                      "client_p50": round(pct(client[name], 50), 3),
                      "client_p99": round(pct(client[name], 99), 3),
                      "median_matches": pct(totals[name], 50)}))

#!/usr/bin/env python3
"""Server-side stage timings of lexical search and suggestions against a running service.

Sends sequential requests (one client) and prints, per query set, the median of the `timings`
the service reports (spelling, lexical, total, in ms), and the p50/p95 of `/v1/suggest` `millis`.

    bench/scripts/lexical_stages.py http://127.0.0.1:18480 en,typos,unique-typos,zh,suggest [seed]

Query sets: `en` (catalog words), `typos` (12 fixed misspellings, so their corrections are cached
after the first time), `unique-typos` (a new unknown word per request: every one builds its
automaton), `zh` (Chinese captions and variants). Built for the demo catalog's vocabulary.
"""
import json
import random
import statistics
import sys
import urllib.parse
import urllib.request

EN = ["red floral dress", "blue striped shirt", "black leather boots", "navy polka-dot cap",
      "green checked skirt", "white cotton sneakers", "grey hoodie", "pink floral top",
      "brown suede boots", "yellow striped shorts", "purple handbag", "orange backpack"]
TYPOS = ["red flroal dres", "blue stirped shrit", "black lether boots", "navy polka-dot cpa",
         "green chekced skirt", "white coton sneakres", "grey hoodei", "pink florla top",
         "brown sued boost", "yellow strpied shorts", "purple handbga", "orange backpakc"]
ZH = ["红色碎花连衣裙", "夏季碎花连衣裙", "蓝色条纹T恤", "黑色靴子", "藏青色波点棒球帽", "绿色格子半身裙",
      "白色运动鞋", "灰色卫衣", "粉色碎花上衣", "棕色靴子", "黄色条纹短裤", "紫色手提包"]
WORDS = ["floral", "dress", "striped", "shirt", "leather", "boots", "checked", "skirt", "cotton",
         "sneakers", "hoodie", "handbag", "backpack", "trousers", "shorts", "purple", "orange"]

base, kinds = sys.argv[1], sys.argv[2].split(",")
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)


def get(path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        return json.load(r)


def unique_typo():
    w = rnd.choice(WORDS)
    i = rnd.randrange(1, len(w) - 1)
    return "red " + w[:i] + w[i + 1] + w[i] + w[i + 2:] + rnd.choice("bcdfgkmnprstvz") + rnd.choice("aeiou")


def search(kind, n=150):
    stages = {}
    for _ in range(n):
        q = {"en": lambda: rnd.choice(EN), "typos": lambda: rnd.choice(TYPOS),
             "zh": lambda: rnd.choice(ZH), "unique-typos": unique_typo}[kind]()
        body = get("/v1/search?mode=lexical&k=10&q=" + urllib.parse.quote(q))
        for stage, ms in body["timings"].items():
            stages.setdefault(stage, []).append(ms)
    keep = ("spelling", "lexical", "total")
    print(kind, json.dumps({s: round(statistics.median(v), 3) for s, v in stages.items() if s in keep}))


def suggest(n=200):
    ms = []
    for _ in range(n):
        w = rnd.choice(WORDS + ["women", "men", "dresses", "red floral", "bags"])
        ms.append(get("/v1/suggest?k=8&q=" + urllib.parse.quote(w[: rnd.randint(2, len(w))]))["millis"])
    ms.sort()
    print("suggest", json.dumps({"p50": round(statistics.median(ms), 3), "p95": round(ms[int(0.95 * len(ms))], 3)}))


for kind in kinds:
    suggest() if kind == "suggest" else search(kind)

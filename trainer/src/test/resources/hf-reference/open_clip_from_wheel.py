# Runs make_reference_open_clip.py with open_clip unpacked from its wheel (OPEN_CLIP_SITE = the folder
# holding open_clip/) where pip cannot install it (the lent GPU machine: torch 2.11, torchvision, no ftfy).
# Stubs only what open_clip imports at package load but the CLIP forward never uses, when missing.
import os, re as _re, runpy, sys, types
sys.path.insert(0, os.environ.get("OPEN_CLIP_SITE", "."))  # the folder holding open_clip/ from its wheel
class _Meta(type):
    def __getattr__(cls, n):
        return cls
class _Dummy(metaclass=_Meta):
    def __init__(self, *a, **k): pass
    def __call__(self, *a, **k): return self
class _Mod(types.ModuleType):
    def __getattr__(self, n):
        if n.startswith("__"): raise AttributeError(n)
        return _Dummy
try:
    import torchvision  # noqa
    print("torchvision", torchvision.__version__)
except ImportError:
    for n in ["torchvision", "torchvision.ops", "torchvision.ops.misc", "torchvision.transforms",
              "torchvision.transforms.functional", "torchvision.transforms.v2"]:
        m = _Mod(n); m.__path__ = []; sys.modules[n] = m
    print("torchvision missing: stubbed (preprocessing and frozen batch norm only; not in CLIP's forward)")
try:
    import regex  # noqa
except ImportError:
    class _Re(types.ModuleType):
        def __getattr__(self, n): return getattr(_re, n)
    r = _Re("regex")
    def _compile(p, flags=0):
        try: return _re.compile(p, flags)
        except _re.error: return _re.compile(p.replace(r"\p{L}", "a-zA-Z").replace(r"\p{N}", "0-9"), flags)
    r.compile = _compile
    sys.modules["regex"] = r
    print("regex missing: stdlib re stands in (tokenizer only; the reference feeds token ids)")
try:
    import ftfy  # noqa
except ImportError:
    f = types.ModuleType("ftfy"); f.fix_text = lambda s, *a, **k: s; sys.modules["ftfy"] = f
    print("ftfy missing: stubbed (tokenizer only)")
import open_clip
print("open_clip", open_clip.__version__, "from", open_clip.__file__)
runpy.run_path("trainer/src/test/resources/hf-reference/make_reference_open_clip.py", run_name="__main__")

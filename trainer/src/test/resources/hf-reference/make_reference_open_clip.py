# Reference features from open_clip itself for a tiny random open_clip CLIP (cross-check of
# shopsearch's open_clip import + ONNX graph writer). Writes $OUT/open_clip_config.json,
# $OUT/open_clip_model.safetensors (open_clip's state dict, as push_to_hf_hub saves it) and
# $OUT/reference.json.
import json, os, struct
import torch
import open_clip
from open_clip.model import CLIP
from open_clip.constants import OPENAI_DATASET_MEAN, OPENAI_DATASET_STD

out = os.environ["OUT"]
os.makedirs(out, exist_ok=True)
print("open_clip", open_clip.__version__, "torch", torch.__version__, "cuda", torch.cuda.is_available())
torch.manual_seed(1234)
# LAION-style: quick_gelu absent (nn.GELU); heads = width / head_width = 4.
model_cfg = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8, "head_width": 16},
    "text_cfg": {"context_length": 32, "vocab_size": 64, "width": 64, "heads": 4, "layers": 2},
}
model = CLIP(**model_cfg).eval()
# Perturb every tensor (layer norms, zero-initialised biases too) so a swapped or mis-split one shows.
with torch.no_grad():
    for n, p in model.named_parameters():
        p.add_(torch.randn_like(p) * 0.05)
sd = {k: v.detach().contiguous().float().cpu() for k, v in model.state_dict().items()}
try:
    from safetensors.torch import save_file
    save_file(sd, os.path.join(out, "open_clip_model.safetensors"), metadata={"format": "pt"})
except ImportError:  # same format, written by hand: u64 header length, JSON header, raw F32 data
    header, blobs, off = {"__metadata__": {"format": "pt"}}, [], 0
    for k, t in sd.items():
        b = t.numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(os.path.join(out, "open_clip_model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
config = {"model_cfg": model_cfg,
          "preprocess_cfg": {"mean": list(OPENAI_DATASET_MEAN), "std": list(OPENAI_DATASET_STD),
                             "interpolation": "bicubic", "resize_mode": "shortest"}}
json.dump(config, open(os.path.join(out, "open_clip_config.json"), "w"), indent=2)
# 62 = start, 63 = end of text (the highest id, so open_clip's argmax pooling picks it), 0 = padding.
ids = torch.tensor([[62, 5, 6, 7, 8, 63, 0, 0], [62, 10, 11, 63, 0, 0, 0, 0], [62, 20, 21, 22, 23, 24, 25, 63]])
mask = (torch.arange(8)[None, :] < torch.tensor([6, 4, 8])[:, None]).long()
# open_clip's CLIP adds all context_length positions: pad the ids to 32 (causal: the end-of-text
# feature does not see the padding).
ids32 = torch.cat([ids, torch.zeros(3, 24, dtype=torch.long)], dim=1)
g = torch.Generator().manual_seed(7)
pixels = torch.randn(3, 3, 32, 32, generator=g)
def embed(m, dev):
    m = m.to(dev)
    with torch.no_grad():
        t = m.encode_text(ids32.to(dev))
        i = m.encode_image(pixels.to(dev))
    return t.float().cpu(), i.float().cpu()
t, i = embed(model, "cpu")
ref = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "pixel_values": pixels.flatten().tolist(),
       "text_embeds": t.tolist(), "image_embeds": i.tolist(), "logit_scale": float(model.logit_scale),
       "open_clip": open_clip.__version__, "torch": torch.__version__}
if torch.cuda.is_available():
    tc, ic = embed(model, "cuda")
    ref["cuda_max_abs_diff_text"] = float((tc - t).abs().max())
    ref["cuda_max_abs_diff_image"] = float((ic - i).abs().max())
    ref["cuda_device"] = torch.cuda.get_device_name(0)
json.dump(ref, open(os.path.join(out, "reference.json"), "w"))
print({k: v for k, v in ref.items() if not isinstance(v, list)})
print(sorted(os.listdir(out)))

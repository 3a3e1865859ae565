# Reference embeddings from Hugging Face transformers for a tiny random CLIPModel (cross-check of
# shopsearch's HF import + ONNX graph writer). Writes $OUT/config.json, $OUT/model.safetensors,
# $OUT/reference.json.
import json, os, sys
import torch, transformers
from transformers import CLIPConfig, CLIPModel
out = os.environ["OUT"]
print("transformers", transformers.__version__, "torch", torch.__version__, "cuda", torch.cuda.is_available())
torch.manual_seed(1234)
cfg = CLIPConfig(
    text_config=dict(vocab_size=64, hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                     num_attention_heads=4, max_position_embeddings=32, hidden_act="quick_gelu",
                     bos_token_id=62, eos_token_id=63, pad_token_id=0, layer_norm_eps=1e-5),
    vision_config=dict(hidden_size=64, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                       image_size=32, patch_size=8, hidden_act="quick_gelu", layer_norm_eps=1e-5),
    projection_dim=32)
model = CLIPModel(cfg).eval()
# HF initialises with small std (0.02): scale everything up a little so differences would show.
with torch.no_grad():
    for n, p in model.named_parameters():
        if p.dim() >= 2 and "embedding" not in n:
            p.mul_(3.0)
model.save_pretrained(out, safe_serialization=True)
ids = torch.tensor([[62, 5, 6, 7, 8, 63, 0, 0], [62, 10, 11, 63, 0, 0, 0, 0], [62, 20, 21, 22, 23, 24, 25, 63]])
mask = (torch.arange(8)[None, :] < torch.tensor([6, 4, 8])[:, None]).long()
g = torch.Generator().manual_seed(7)
pixels = torch.randn(3, 3, 32, 32, generator=g)
def embed(m, dev):
    m = m.to(dev)
    with torch.no_grad():
        t = m.text_projection(m.text_model(input_ids=ids.to(dev), attention_mask=mask.to(dev)).pooler_output)
        i = m.visual_projection(m.vision_model(pixel_values=pixels.to(dev)).pooler_output)
    return t.float().cpu(), i.float().cpu()
t, i = embed(model, "cpu")
ref = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "pixel_values": pixels.flatten().tolist(),
       "text_embeds": t.tolist(), "image_embeds": i.tolist(), "logit_scale": float(model.logit_scale),
       "transformers": transformers.__version__, "torch": torch.__version__}
if torch.cuda.is_available():
    tc, ic = embed(model, "cuda")
    ref["cuda_max_abs_diff_text"] = float((tc - t).abs().max()); ref["cuda_max_abs_diff_image"] = float((ic - i).abs().max())
    ref["cuda_device"] = torch.cuda.get_device_name(0)
json.dump(ref, open(os.path.join(out, "reference.json"), "w"))
print({k: v for k, v in ref.items() if not isinstance(v, list)})
print(sorted(os.listdir(out)))

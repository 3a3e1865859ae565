# Reference features from Hugging Face transformers for a tiny random ChineseCLIPModel (cross-check of
# shopsearch's Chinese-CLIP import + ONNX graph writer). Writes $OUT/config.json, $OUT/model.safetensors,
# $OUT/vocab.txt and $OUT/reference.json, the format HfReferenceParityTest reads.
import json, os
import torch, transformers
from transformers import ChineseCLIPConfig, ChineseCLIPModel
out = os.environ["OUT"]
os.makedirs(out, exist_ok=True)
print("transformers", transformers.__version__, "torch", torch.__version__, "cuda", torch.cuda.is_available())
torch.manual_seed(1234)
vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(0x4E00 + i) for i in range(59)]  # 64 ids
cfg = ChineseCLIPConfig(
    text_config=dict(vocab_size=len(vocab), hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                     num_attention_heads=4, max_position_embeddings=32, type_vocab_size=2, hidden_act="gelu",
                     layer_norm_eps=1e-12, pad_token_id=0),
    vision_config=dict(hidden_size=64, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                       image_size=32, patch_size=8, hidden_act="quick_gelu", layer_norm_eps=1e-5),
    projection_dim=32)
model = ChineseCLIPModel(cfg).eval()
# HF initialises with small std (0.02) and trivial norms/biases: scale matrices up and perturb the
# vectors (layer norms, biases) so that a wrong or swapped tensor would show.
with torch.no_grad():
    for n, p in model.named_parameters():
        if p.dim() >= 2 and "embedding" not in n:
            p.mul_(3.0)
        elif p.dim() == 1 and "embedding" not in n:
            p.add_(0.1 * torch.randn_like(p))
model.save_pretrained(out, safe_serialization=True)
with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(vocab) + "\n")
ids = torch.tensor([[2, 5, 6, 7, 8, 3, 0, 0], [2, 10, 11, 3, 0, 0, 0, 0], [2, 20, 21, 22, 23, 24, 25, 3]])
mask = (torch.arange(8)[None, :] < torch.tensor([6, 4, 8])[:, None]).long()
g = torch.Generator().manual_seed(7)
pixels = torch.randn(3, 3, 32, 32, generator=g)
def embed(m, dev):
    m = m.to(dev)
    with torch.no_grad():  # get_text_features: text_projection(last_hidden_state[:, 0]), token types 0
        hidden = m.text_model(input_ids=ids.to(dev), attention_mask=mask.to(dev),
                              token_type_ids=torch.zeros_like(ids).to(dev)).last_hidden_state
        t = m.text_projection(hidden[:, 0, :])
        i = m.visual_projection(m.vision_model(pixel_values=pixels.to(dev)).pooler_output)
    return t.float().cpu(), i.float().cpu()
t, i = embed(model, "cpu")
with torch.no_grad():  # cross-check the hand-written pooling with the model's own method
    f = model.get_text_features(input_ids=ids, attention_mask=mask)
    f = f if isinstance(f, torch.Tensor) else getattr(f, "pooler_output", None)
ref = {"get_text_features_max_abs_diff": None if f is None else float((f.float() - t).abs().max()),
       "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "pixel_values": pixels.flatten().tolist(),
       "text_embeds": t.tolist(), "image_embeds": i.tolist(), "logit_scale": float(model.logit_scale),
       "transformers": transformers.__version__, "torch": torch.__version__}
if torch.cuda.is_available():
    tc, ic = embed(model, "cuda")
    ref["cuda_max_abs_diff_text"] = float((tc - t).abs().max()); ref["cuda_max_abs_diff_image"] = float((ic - i).abs().max())
    ref["cuda_device"] = torch.cuda.get_device_name(0)
json.dump(ref, open(os.path.join(out, "reference.json"), "w"))
print({k: v for k, v in ref.items() if not isinstance(v, list)})
print(sorted(os.listdir(out)))

# Reference features from Hugging Face transformers for a tiny random SiglipModel (cross-check of
# shopsearch's SigLIP import + ONNX graph writer). Writes $OUT/config.json, $OUT/model.safetensors,
# $OUT/tokenizer.json, $OUT/preprocessor_config.json and $OUT/reference.json, the format
# HfReferenceParityTest reads.
#
# The bundle contract feeds the text tower a batch right-padded to its longest member plus an
# attention_mask; SigLIP itself was trained on ids padded to max_position_embeddings with pad_token_id
# and no mask, pooled at the last position. So reference.json holds the short, batch-padded ids and
# mask the bundle gets, while transformers is run the way SigLIP is used (SiglipProcessor with
# padding="max_length", no attention_mask): masked positions replaced by the pad id, padded to 16.
import json, os
import torch, transformers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from transformers import SiglipConfig, SiglipModel
out = os.environ["OUT"]
os.makedirs(out, exist_ok=True)
print("transformers", transformers.__version__, "torch", torch.__version__, "cuda", torch.cuda.is_available())
torch.manual_seed(1234)
CONTEXT, PAD = 16, 1
cfg = SiglipConfig(
    text_config=dict(vocab_size=64, hidden_size=64, intermediate_size=256, num_hidden_layers=2,
                     num_attention_heads=4, max_position_embeddings=CONTEXT, hidden_act="gelu_pytorch_tanh",
                     layer_norm_eps=1e-6, pad_token_id=PAD),
    vision_config=dict(hidden_size=64, intermediate_size=256, num_hidden_layers=2, num_attention_heads=4,
                       image_size=32, patch_size=8, hidden_act="gelu_pytorch_tanh", layer_norm_eps=1e-6))
model = SiglipModel(cfg).eval()
# Scale matrices up and perturb the vectors (layer norms, biases, logit scale and bias) so that a
# wrong or swapped tensor would show.
with torch.no_grad():
    for n, p in model.named_parameters():
        if p.dim() >= 2 and "embedding" not in n:
            p.mul_(3.0)
        elif p.dim() == 1 and "embedding" not in n:
            p.add_(0.1 * torch.randn_like(p))
model.save_pretrained(out, safe_serialization=True)

# A SigLIP-layout SentencePiece Unigram tokenizer.json over 64 pieces (<pad> 0, </s> 1, <unk> 2).
words = ["red", "blue", "black", "white", "dress", "jeans", "shirt", "shoes", "cotton", "denim", "jacket",
         "sneakers", "summer", "floral", "slim", "fit", "women", "men", "café", "红色", "连衣裙", "牛仔裤"]
pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -4.0)]
pieces += [("\u2581" + w, -2.0) for w in words]
for ch in sorted({c for w in words for c in w}):
    if len(pieces) < 64:
        pieces.append((ch, -5.0))
assert len(pieces) <= 64, len(pieces)
tok = Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=False))
tok.normalizer = normalizers.Sequence([normalizers.Replace(Regex(r"[!-/:-@\[-`{-~]"), ""),
                                       normalizers.Replace(Regex(" {2,}"), " ")])
tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
tok.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                   special_tokens=[("</s>", 1)])
tok.save(os.path.join(out, "tokenizer.json"))
json.dump({"do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
           "image_std": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor", "resample": 3,
           "rescale_factor": 1 / 255, "size": {"height": 32, "width": 32}},
          open(os.path.join(out, "preprocessor_config.json"), "w"))
# Lower-case, single-spaced texts (the bundle lower-cases and collapses whitespace before this).
texts = ["red dress", "红色连衣裙", "blue jeans, slim fit!", "café 👗 summer", "black sneakers"]
tokenized = {t: tok.encode(t).ids for t in texts}

ids = torch.tensor([[5, 9, 1, 0, 0, 0, 0, 0], [3, 14, 30, 40, 1, 0, 0, 0], [7, 8, 11, 12, 13, 20, 21, 1]])
mask = (torch.arange(8)[None, :] < torch.tensor([3, 5, 8])[:, None]).long()
full = torch.full((ids.shape[0], CONTEXT), PAD, dtype=torch.long)
full[:, :ids.shape[1]] = torch.where(mask == 1, ids, torch.full_like(ids, PAD))
g = torch.Generator().manual_seed(7)
pixels = torch.randn(3, 3, 32, 32, generator=g)
def features(f):
    return f if isinstance(f, torch.Tensor) else f.pooler_output
def embed(m, dev):
    m = m.to(dev)
    with torch.no_grad():  # SigLIP as used: ids padded to the context, no attention_mask
        t = features(m.get_text_features(input_ids=full.to(dev)))
        i = features(m.get_image_features(pixel_values=pixels.to(dev)))
    return t.float().cpu(), i.float().cpu()
t, i = embed(model, "cpu")
with torch.no_grad():  # cross-check: the text model's own pooled output (last position through head)
    pooled = model.text_model(input_ids=full).pooler_output
ref = {"pooler_output_max_abs_diff": float((pooled.float() - t).abs().max()),
       "input_ids": ids.tolist(), "attention_mask": mask.tolist(), "padded_input_ids": full.tolist(),
       "pixel_values": pixels.flatten().tolist(), "text_embeds": t.tolist(), "image_embeds": i.tolist(),
       "logit_scale": float(model.logit_scale), "logit_bias": float(model.logit_bias),
       "tokenized": tokenized, "transformers": transformers.__version__, "torch": torch.__version__}
if torch.cuda.is_available():
    tc, ic = embed(model, "cuda")
    ref["cuda_max_abs_diff_text"] = float((tc - t).abs().max()); ref["cuda_max_abs_diff_image"] = float((ic - i).abs().max())
    ref["cuda_device"] = torch.cuda.get_device_name(0)
json.dump(ref, open(os.path.join(out, "reference.json"), "w"), ensure_ascii=False)
print({k: v for k, v in ref.items() if not isinstance(v, (list, dict))})
print(sorted(os.listdir(out)))

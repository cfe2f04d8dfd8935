"""Trains Atelier's demo model from nothing: pictures drawn by tools/demo_model/draw.py,
a tokenizer from the in-repo vocabulary, then an AutoencoderKL, a CLIP text encoder and a
UNet2DConditionModel, saved as an ordinary diffusers StableDiffusionPipeline folder
(safetensors, fp16) with a DPM-Solver++ scheduler.

    python -m tools.demo_model.train --out app/resources/demo_model [--threads 2]

Fixed seeds throughout (data, initial weights, noise, batches): run on the same torch
version and thread count it rebuilds the same weights. Progress goes to <out>/../train.log
(or --log). See app/resources/demo_model/README.md for what it makes and how long it takes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np

from tools.demo_model import draw
from tools.demo_model.make_vocab import main as make_vocab

SEED = 20261202
MAX_TOKENS = 77

VAE = dict(in_channels=3, out_channels=3, latent_channels=4,
           down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
           block_out_channels=[16, 32, 64], layers_per_block=1, norm_num_groups=8,
           mid_block_add_attention=False, sample_size=draw.SIDE)
TEXT = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
            max_position_embeddings=MAX_TOKENS, projection_dim=64, hidden_act="quick_gelu")
UNET = dict(sample_size=draw.SIDE // 4, in_channels=4, out_channels=4,
            down_block_types=["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
            up_block_types=["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
            block_out_channels=[32, 64, 64], layers_per_block=1, norm_num_groups=16,
            cross_attention_dim=64, attention_head_dim=8)
SCHEDULER = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012,
                 beta_schedule="scaled_linear", prediction_type="epsilon",
                 timestep_spacing="trailing", steps_offset=0)
SAMPLER = dict(algorithm_type="dpmsolver++", solver_order=2)


def log(fh, msg: str) -> None:
    line = f"{time.strftime('%H:%M:%S')} {msg}"
    print(line, flush=True)
    fh.write(line + "\n")
    fh.flush()


def dataset(n: int) -> tuple[np.ndarray, list[str]]:
    """n pictures (uint8, N×H×W×3) and their captions, example i from seed SEED + i."""
    images = np.empty((n, draw.SIDE, draw.SIDE, 3), np.uint8)
    captions = []
    for i in range(n):
        im, cap, _ = draw.example(SEED + i)
        images[i] = np.asarray(im)
        captions.append(cap)
    return images, captions


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--log", type=Path)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--images", type=int, default=4000)
    ap.add_argument("--vae-steps", type=int, default=800)
    ap.add_argument("--unet-steps", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--v-steps", type=int, default=600)
    ap.add_argument("--resume", type=Path, help="a demo model folder: keep its VAE, text encoder and "
                    "UNet and run only the v-prediction phase")
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args(argv)

    import torch
    import torch.nn.functional as F
    from diffusers import (AutoencoderKL, DDPMScheduler, DPMSolverMultistepScheduler,
                           StableDiffusionPipeline, UNet2DConditionModel)
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    out: Path = args.out
    logf = open(args.log or out.parent / "train.log", "a", encoding="utf-8")
    t_all = time.time()
    log(logf, f"start: torch {torch.__version__}, {args.threads} threads, {args.device}, {vars(args)}")

    work = out.parent / (out.name + ".build")
    shutil.rmtree(work, ignore_errors=True)
    make_vocab(work / "tokenizer")
    tok = CLIPTokenizer(str(work / "tokenizer" / "vocab.json"), str(work / "tokenizer" / "merges.txt"),
                        model_max_length=MAX_TOKENS)

    t0 = time.time()
    images, captions = dataset(args.images)
    log(logf, f"data: {len(captions)} pictures in {time.time() - t0:.0f} s; e.g. {captions[0]!r}")
    x_all = torch.from_numpy(images).permute(0, 3, 1, 2).float().div(127.5).sub(1.0)
    ids_all = tok(captions, padding="max_length", max_length=MAX_TOKENS, truncation=True,
                  return_tensors="pt").input_ids
    empty_ids = tok([""], padding="max_length", max_length=MAX_TOKENS, return_tensors="pt").input_ids

    g = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    random.seed(SEED)

    # --- 1. the autoencoder --------------------------------------------------------------
    f32 = torch.float32
    vae = (AutoencoderKL.from_pretrained(args.resume / "vae", torch_dtype=f32) if args.resume
           else AutoencoderKL(**VAE)).to(dev)
    vae_steps = 0 if args.resume else args.vae_steps
    opt = torch.optim.AdamW(vae.parameters(), lr=2e-3, weight_decay=0.0)
    t0 = time.time()
    for step in range(1, vae_steps + 1):
        idx = torch.randint(0, len(x_all), (args.batch,), generator=g)
        oy, ox = (int(v) for v in torch.randint(0, draw.SIDE // 2 + 1, (2,), generator=g))
        x = x_all[idx][:, :, oy:oy + draw.SIDE // 2, ox:ox + draw.SIDE // 2].to(dev)  # crops: 4× cheaper
        post = vae.encode(x).latent_dist
        z = post.sample(generator=None)
        rec = vae.decode(z).sample
        kl = post.kl().mean() / z[0].numel()
        loss = F.l1_loss(rec, x) + F.mse_loss(rec, x) + 1e-4 * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        lr = 2e-3 * min(1.0, step / 50) * (0.5 * (1 + math.cos(math.pi * step / args.vae_steps)) * 0.9 + 0.1)
        for grp in opt.param_groups:
            grp["lr"] = lr
        opt.step()
        if step % 25 == 0 or step == 1:
            log(logf, f"vae {step}/{args.vae_steps} loss {loss.item():.4f} kl {kl.item():.3f} "
                      f"({(time.time() - t0) / step:.2f} s/step)")
    vae.eval()
    with torch.no_grad():
        lat = torch.cat([vae.encode(x_all[i:i + 256].to(dev)).latent_dist.mean
                         for i in range(0, len(x_all), 256)])
        rec = vae.decode(lat[:256]).sample
        err = (rec - x_all[:256].to(dev)).abs().mean().item() * 127.5
    scale = float(1.0 / lat.std())
    vae.register_to_config(scaling_factor=scale)
    lat = (lat * scale).cpu()
    log(logf, f"vae done in {time.time() - t0:.0f} s: mean abs error {err:.1f}/255, latent "
              f"scale {scale:.4f}, latents {tuple(lat.shape)}")

    # --- 2. text encoder + UNet ------------------------------------------------------------
    if args.resume:
        text = CLIPTextModel.from_pretrained(args.resume / "text_encoder", torch_dtype=f32).to(dev)
        unet = UNet2DConditionModel.from_pretrained(args.resume / "unet", torch_dtype=f32).to(dev)
    else:
        text = CLIPTextModel(CLIPTextConfig(vocab_size=len(tok), bos_token_id=tok.bos_token_id,
                                            eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                                            **TEXT)).to(dev)
        unet = UNet2DConditionModel(**UNET).to(dev)
    params = list(unet.parameters()) + list(text.parameters())
    noise_sched = DDPMScheduler(**SCHEDULER, clip_sample=False)
    acp = noise_sched.alphas_cumprod.to(dev)
    n_params = sum(p.numel() for p in unet.parameters()), sum(p.numel() for p in text.parameters())
    log(logf, f"unet {n_params[0] / 1e6:.2f} M params, text encoder {n_params[1] / 1e6:.2f} M")
    # epsilon first (learns the parts), then v-prediction (learns the whole picture from pure
    # noise: with epsilon alone a model this small draws mush from the first steps).
    phases = [("epsilon", args.unet_steps, 1e-3), ("v_prediction", args.v_steps, 5e-4)]
    if args.resume:
        phases = phases[1:]
    avg = None
    for phase, n_steps, base_lr in phases:
      ema = {k: v.detach().clone() for k, v in list(unet.state_dict().items()) +
             [("text." + k, v) for k, v in text.state_dict().items()]}
      opt = torch.optim.AdamW(params, lr=base_lr, weight_decay=1e-2)
      t0 = time.time()
      avg = None
      for step in range(1, n_steps + 1):
          idx = torch.randint(0, len(lat), (args.batch,), generator=g)
          z0 = lat[idx].to(dev)
          ids = ids_all[idx].clone()
          drop = torch.rand(args.batch, generator=g) < 0.1  # unconditional, for guidance
          ids[drop] = empty_ids[0]
          noise = torch.randn(z0.shape, generator=g)
          noise = (noise + 0.1 * torch.randn(z0.shape[0], z0.shape[1], 1, 1, generator=g)).to(dev)  # offset noise
          t = torch.randint(0, 1000, (args.batch,), generator=g).to(dev)
          a = acp[t].view(-1, 1, 1, 1)
          zt = a.sqrt() * z0 + (1 - a).sqrt() * noise
          cond = text(ids.to(dev))[0]
          pred = unet(zt, t, cond).sample
          target = noise if phase == "epsilon" else a.sqrt() * noise - (1 - a).sqrt() * z0
          loss = F.mse_loss(pred, target)
          opt.zero_grad(set_to_none=True)
          loss.backward()
          torch.nn.utils.clip_grad_norm_(params, 1.0)
          lr = base_lr * min(1.0, step / 100) * (0.5 * (1 + math.cos(math.pi * step / n_steps)) * 0.8 + 0.2)
          for grp in opt.param_groups:
              grp["lr"] = lr
          opt.step()
          decay = min(0.995, (1 + step) / (10 + step))
          with torch.no_grad():
              for k, v in list(unet.state_dict().items()) + [("text." + k, v) for k, v in text.state_dict().items()]:
                  if v.dtype.is_floating_point:
                      ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
                  else:
                      ema[k].copy_(v)
          avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
          if step % 25 == 0 or step == 1:
              el = time.time() - t0
              log(logf, f"unet {phase} {step}/{n_steps} loss {avg:.4f} ({el / step:.2f} s/step, "
                        f"{el / step * (n_steps - step) / 60:.1f} min left)")
      unet.load_state_dict({k: v for k, v in ema.items() if not k.startswith("text.")})
      text.load_state_dict({k[5:]: v for k, v in ema.items() if k.startswith("text.")})
      log(logf, f"unet {phase} done in {time.time() - t0:.0f} s")

    # --- 3. the preview map: latents -> RGB, least squares over the cached latents ----------
    small = F.avg_pool2d(x_all, 4)  # N×3×16×16, like the latents
    A = torch.cat([lat.permute(0, 2, 3, 1).reshape(-1, 4), torch.ones(lat.numel() // 4, 1)], 1)
    B = small.permute(0, 2, 3, 1).reshape(-1, 3)
    sol = torch.linalg.lstsq(A, B).solution  # 5×3
    preview = {"factors": [[round(float(v), 5) for v in row] for row in sol[:4]],
               "bias": [round(float(v), 5) for v in sol[4]]}

    # --- 4. save ---------------------------------------------------------------------------
    sched = DPMSolverMultistepScheduler(**{**SCHEDULER, "prediction_type": phases[-1][0]}, **SAMPLER)
    pipe = StableDiffusionPipeline(vae=vae.cpu().eval(), text_encoder=text.cpu().eval(), tokenizer=tok,
                                   unet=unet.cpu().eval(), scheduler=sched, safety_checker=None,
                                   feature_extractor=None, requires_safety_checker=False)
    pipe.to(torch.float16)
    staging = work / "model"
    pipe.save_pretrained(staging, safe_serialization=True)
    make_vocab(staging / "tokenizer")  # vocab.json + merges.txt beside tokenizer.json, for slow tokenizers
    meta = {"seed": SEED, "args": {k: str(v) for k, v in vars(args).items()},
            "torch": torch.__version__, "seconds": round(time.time() - t_all),
            "vae_mean_abs_error": round(err, 2), "final_loss": round(avg or 0.0, 4),
            "unet_params": n_params[0], "text_params": n_params[1]}
    (staging / "vae" / "latent_rgb.json").write_text(json.dumps(preview) + "\n", encoding="utf-8")
    (staging / "training.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    readme = out / "README.md"
    if readme.is_file():
        shutil.copy(readme, staging / "README.md")
    shutil.rmtree(out, ignore_errors=True)
    shutil.move(str(staging), str(out))
    shutil.rmtree(work, ignore_errors=True)
    log(logf, f"saved {out} ({sum(p.stat().st_size for p in out.rglob('*') if p.is_file()) / 1e6:.1f} MB) "
              f"in {time.time() - t_all:.0f} s total")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Forward + backward time of each skewlearn.torch loss against plain cross-entropy (issue 8).

Logits of ``--batch`` x ``--classes`` (4096 x 1000 by default) on ``--device``; each loss is
timed over ``--iters`` iterations after ``--warmup`` untimed ones, synchronising the device
around every iteration, and the median is reported with its ratio to ``F.cross_entropy``
(the issue's target is at most 1.2x). Element-wise multi-label losses are also compared with
``F.binary_cross_entropy_with_logits``, their natural baseline.

    python benchmarks/deep_lt_gpu.py --out benchmarks/results/deep-lt-gpu-h100-fp32.json
    python benchmarks/deep_lt_gpu.py --device cpu --batch 256 --classes 100 --iters 20 --out /tmp/t.json

Needs only torch and skewlearn.torch.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F

import skewlearn.torch as slt


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_loss(
    loss: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    logits: torch.Tensor,
    target: torch.Tensor,
    warmup: int,
    iters: int,
) -> float:
    """Median seconds of one forward + backward pass."""
    times = []
    for i in range(warmup + iters):
        logits.grad = None
        _sync(logits.device)
        start = time.perf_counter()
        loss(logits, target).backward()
        _sync(logits.device)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def cases(
    counts: list[int], device: torch.device, dtype: torch.dtype = torch.float32
) -> dict[str, tuple[str, Callable]]:
    """name -> (target kind, loss); kinds: "index" (class ids) or "multi" (0/1 per class).

    PyTorch's own losses need ``weight`` in the logits' dtype; ours take float32 weights and
    compute in float32 (upcasting half-precision logits), as autocast would.
    """
    pos_fraction = [min(max(c / sum(counts) * 10, 0.01), 0.5) for c in counts]
    cb = slt.class_balanced_weights(counts).to(device)
    return {
        "cross_entropy": ("index", F.cross_entropy),
        "bce_with_logits": ("multi", F.binary_cross_entropy_with_logits),
        "focal": ("index", slt.FocalLoss(gamma=2.0)),
        "class_balanced_ce": ("index", partial(F.cross_entropy, weight=cb.to(dtype))),
        "class_balanced_focal": ("index", slt.FocalLoss(gamma=2.0, weight=cb)),
        "ldam": ("index", slt.LDAMLoss(counts)),
        "logit_adjusted": ("index", slt.LogitAdjustedLoss(counts)),
        "balanced_softmax": ("index", slt.BalancedSoftmaxLoss(counts)),
        "iif": ("index", slt.IIFLoss(counts, "smooth")),
        "asl_single_label": ("index", slt.AsymmetricSingleLabelLoss()),
        "self_adjusting_dice": ("index", slt.SelfAdjustingDiceLoss()),
        "grad_norm_ce": (
            "index",
            slt.PerClassGradNormLoss(partial(F.cross_entropy, reduction="none")),
        ),
        "sigmoid_focal": ("multi", slt.SigmoidFocalLoss()),
        "asl_multi_label": ("multi", slt.AsymmetricLoss()),
        "auc_margin": ("multi", slt.AUCMarginLoss(pos_fraction)),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--iters", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True, help="JSON file to write")
    args = parser.parse_args(argv)
    device = torch.device(args.device)
    g = torch.Generator().manual_seed(0)
    # Long-tailed counts (imbalance factor 100) for the losses that read them.
    counts = [max(1, int(500 * 100 ** (-c / (args.classes - 1)))) for c in range(args.classes)]
    dtype = getattr(torch, args.dtype)
    logits = torch.randn(args.batch, args.classes, generator=g).to(device, dtype)
    logits.requires_grad_()
    targets = {
        "index": torch.randint(0, args.classes, (args.batch,), generator=g).to(device),
        # In the logits' dtype: F.binary_cross_entropy_with_logits rejects mixed dtypes.
        "multi": (torch.rand(args.batch, args.classes, generator=g) < 0.05).to(device, dtype),
    }
    rows = {}
    for name, (kind, loss) in cases(counts, device, dtype).items():
        if isinstance(loss, torch.nn.Module):
            loss = loss.to(device)
        rows[name] = {
            "target": kind,
            "seconds": time_loss(loss, logits, targets[kind], args.warmup, args.iters),
        }
    ce, bce = rows["cross_entropy"]["seconds"], rows["bce_with_logits"]["seconds"]
    for row in rows.values():
        row["ratio_to_ce"] = row["seconds"] / ce
        row["ratio_to_bce"] = row["seconds"] / bce if row["target"] == "multi" else None
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    result = {
        "device": name,
        "torch": torch.__version__,
        "batch": args.batch,
        "classes": args.classes,
        "dtype": args.dtype,
        "warmup": args.warmup,
        "iters": args.iters,
        "losses": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"{name}, torch {torch.__version__}, {args.batch} x {args.classes} {args.dtype}, "
        f"median of {args.iters} forward+backward passes"
    )
    print(f"{'loss':<24}{'target':>8}{'ms':>10}{'x CE':>8}{'x BCE':>8}")
    for loss_name, row in rows.items():
        bce_ratio = f"{row['ratio_to_bce']:.2f}" if row["ratio_to_bce"] is not None else "-"
        print(
            f"{loss_name:<24}{row['target']:>8}{row['seconds'] * 1e3:>10.3f}"
            f"{row['ratio_to_ce']:>8.2f}{bce_ratio:>8}"
        )


if __name__ == "__main__":
    main()

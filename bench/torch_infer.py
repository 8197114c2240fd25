#!/usr/bin/python3
"""Reference point for bench/score.sh: torchvision's inference of the backbone the `cpu`
configuration shares between TASN's master and part nets (ResNet-18) at the sampled size,
eval mode, no gradient, 2 threads; prints one JSON line.

TASN's scoring runs more than this per image (the attention net at the attention size, the
trilinear attention, two samplers, and the backbone on TWO views), so its images/s is
expected well below this figure: it bounds what the backbone alone costs in PyTorch.
Run with Debian's python3-torch (bench/setup-torch.sh): /usr/bin/python3 bench/torch_infer.py"""
import argparse
import json
import resource
import time

import torch
import torchvision


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=112)
    p.add_argument("--classes", type=int, default=4)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.resnet18(num_classes=a.classes).eval()
    x = torch.randn(a.batch, 3, a.size, a.size)
    with torch.no_grad():
        for _ in range(a.warmup):
            torch.softmax(model(x), dim=1)
        start = time.perf_counter()
        for _ in range(a.iterations):
            torch.softmax(model(x), dim=1)
        seconds = (time.perf_counter() - start) / a.iterations
    print(json.dumps({
        "line": "torchvision_resnet18_inference", "batch": a.batch, "size": a.size, "threads": a.threads,
        "ms_per_batch": round(seconds * 1000, 1), "images_per_s": round(a.batch / seconds, 2),
        "views_per_tasn_image": 2, "tasn_backbone_bound_images_per_s": round(a.batch / seconds / 2, 2),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "torch": torch.__version__}))


if __name__ == "__main__":
    main()

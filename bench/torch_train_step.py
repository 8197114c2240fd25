#!/usr/bin/python3
"""PyTorch peer of TrainStepBenchmark: one training step (forward, backward, SGD update) of
torchvision's ResNet-50 on a fixed random batch, 2 threads; prints one JSON line.

Same shapes, classes (1000), loss (softmax cross-entropy), optimiser (plain SGD, lr 0.01),
warm-up and iteration counts as the DL4J side; same FLOP count per image (see README)."""
import argparse
import json
import os
import resource
import time

import torch
import torchvision

FORWARD_GMAC_224 = 4.1   # ResNet-50 forward multiply-adds at 224x224 (the usual "4.1 GFLOPs")
TRAIN_FACTOR = 3.0       # forward + gradient w.r.t. inputs + gradient w.r.t. weights


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = torchvision.models.resnet50(num_classes=1000)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(a.batch, 3, a.size, a.size)
    y = torch.tensor([(i * 37) % 1000 for i in range(a.batch)])

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup):
        step()
    ms, cpu = [], []
    for _ in range(a.iterations):
        c0, t0 = cpu_seconds(), time.perf_counter()
        loss = step()
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((cpu_seconds() - c0) * 1000)
    if loss != loss:
        raise SystemExit("training diverged: loss is NaN")
    s = sorted(ms)
    n = len(s)
    median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    ips = a.batch / (median / 1000)
    gflop_per_image = TRAIN_FACTOR * FORWARD_GMAC_224 * a.size * a.size / (224 * 224)
    print(json.dumps({
        "impl": "torch", "config": "torch-%s-%dthreads" % (torch.__version__, a.threads),
        "model": "torchvision-resnet50", "batch": a.batch, "size": a.size,
        "warmup": a.warmup, "iterations": a.iterations,
        "ms_per_step": round(median, 1), "ms_mean": round(sum(ms) / n, 1), "ms_min": round(s[0], 1),
        "cpu_ms_per_step": round(sorted(cpu)[n // 2], 1),
        "images_per_s": round(ips, 2), "gflop_per_image": round(gflop_per_image, 2),
        "gflop_per_s": round(ips * gflop_per_image, 1),
        "params": sum(t.numel() for t in model.parameters()),
        # ru_maxrss is in KiB on Linux
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()

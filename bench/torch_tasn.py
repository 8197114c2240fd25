#!/usr/bin/python3
"""PyTorch peer of StepTimeBench (bench/model_step.sh) and of TASN scoring: the whole TASN of
the `cpu` preset (conf/tasn-cpu.conf) in PyTorch, random weights, one JSON line per run.

  /usr/bin/python3 bench/torch_tasn.py --mode train --batch 16 --warmup 2 --iterations 5 --threads 2
  /usr/bin/python3 bench/torch_tasn.py --mode infer --batch 16 --warmup 2 --iterations 5 --threads 2

On a shared machine the median swings with the load: load_avg_1m (taken at the end of the run,
this run's own threads included), ms_min, and a --threads 1 run's cpu_ms_per_step are the
steadier figures; compare with the Java side only at the same load.

--mode train: one training step = forward of the whole graph, the six loss terms, backward,
  plain SGD update (lr 0.1, no momentum, no weight decay: GraphOptions.defaults(), what
  StepTimeBench uses), on a fixed random batch (uniform pixels in [-50, 50) like StepTimeBench,
  labels i % K).
--mode infer: what TasnPredictor.predict computes for scoring (ImageScorer asks the predictor,
  which runs graph.feedForward(images, train=false) over the WHOLE graph whatever head is
  requested): eval mode (BatchNorm running statistics, detail map = mean of the maps), under
  torch.no_grad: attention net and its classifier, trilinear attention, structure and detail
  maps, both samplers, the backbone over both views stacked (2N images), all five heads'
  softmax. `--views structure` times the minimal master-only path instead (structure map and
  view only, backbone over N images, heads fc2 and fc on the structure half, no attention
  classifier): what scoring would cost if the predictor evaluated only the master head.

The graph, as TasnGraph.configuration builds it for the `cpu` preset (every size below is
read from conf/tasn-cpu.conf / src/main/resources/tasn/config/cpu.conf, see CPU):
  image (N, 3, 224, 224), mean-subtracted, no std division
  -> align-corners bilinear resize to 112 (BilinearResize)
  -> attention trunk: pre-activation ResNet-18 at HALF width (32-64-128-256, model.attention.
     width = 32), imagenet stem, stage strides 1, 1, 2, 1 -> (N, 256, 14, 14)
  -> att1 = sum_{d in 1,2} ReLU(conv3x3_d(x; W1, b1)), att2 = sum_{d in 1,2,3} ReLU(conv3x3_d(att1;
     W2, b2)), 256 filters (SharedDilatedConvolution: one weight, several dilations)
  -> attention classifier: BN, ReLU, global average pool, fc -> K  (its CE: the attention net's
     only training signal)
  trilinear attention on att2 (no gradient): N1 = softmax_HW(7 X), B = N1 X^T, N2 = softmax(B),
     M = N2 X -> (N, 256, 14, 14)
  structure map = resize_224(mean_C M) ** 2; detail map = resize_224(M[random channel]) in
     training, resize_224(mean_C M) at test (exponent 1)                     -> (N, 1, 224, 224)
  attention sampler (no gradient): separable grid from the map's marginals (max over x / over
     y, normalised, x S, 5 flattening rounds with dense 4, inverse CDF over S - 1 from j = 1;
     src/main/java/tasn/model/AttentionGrid.java), then bilinear sampling of the 224 image to 112 x 112, zeros
     outside (grid_sample, align_corners=True)                               -> (N, 3, 112, 112)
  [detail views; structure views] stacked (2N, 3, 112, 112) through ONE backbone: full-width
     pre-activation ResNet-18 (64-128-256-512), strides 1, 2, 2, 2 -> (2N, 512, 4, 4), avg pool
  heads: fc1 (part) on the detail half, fc2 (master) on the structure half, fc (shared) on both
  loss = 1.0 CE(att) + 0.5 CE(fc1) + 0.5 CE(fc2) + 0.5 CE(fc|detail) + 0.5 CE(fc|structure)
       + 1.0 mean_n(-sum_k softmax(fc1/10)_k log_softmax(fc2/10)_k)   (T = 10, no T^2, no
       stop-gradient on the teacher: DistillationLoss.java)

Where this differs from the Java graph (none of it changes the FLOPs of any convolution or
fully connected layer; the JSON's gmac_per_image_forward counts them):
- Trunks: by default (--trunk preact) the pre-activation ResNet of PreActResNet.java layer for
  layer, written with torchvision.models.resnet's conv3x3/conv1x1 (torchvision has no
  pre-activation block): BN of the raw input, 7x7/2 conv, BN, ReLU, 3x3/2 max-pool; blocks
  BN-ReLU-conv3x3-BN-ReLU-conv3x3 + (identity | 1x1 projection of the pre-activated input, no
  BN); final BN-ReLU. --trunk torchvision uses torchvision's own post-activation BasicBlock
  (conv-BN-ReLU-conv-BN, projection conv1x1+BN, ReLU after the add; for the backbone literally
  torchvision.models.resnet18's layers), plus the input BN: the same convolutions, so the same
  FLOPs; per trunk one BN on each of the 3 projections and no final BN, and the first BN of a
  stage's first block sees the output width, not the input's: 2,496 parameters more in all.
- Parameter count: DL4J's numParams counts a BatchNorm's running mean and variance as
  parameters (4 C per BN); PyTorch keeps them as buffers (2 C per BN are parameters). The JSON
  gives both: "parameters" (PyTorch's trainable count, 15,171,540 at K = 10 with --trunk
  preact) and "parameters_dl4j_convention" (trainable + BN running statistics: 15,183,968,
  exactly StepTimeBench's figure for TASN cpu; the 12,428 between them are the running
  statistics of the 39 BNs; the backbone and one fc alone give 11,187,926, the Java
  baseline's figure). stderr gets the count per part.
- Gradients: PyTorch computes no gradient it does not need. DL4J still back-propagates into
  the backbone's input BN's input (handed to the sampler, which returns zeros) and through the
  attention resize into the image (a network input); both tiny (3 channels).
- The dilated head: PyTorch calls its dilated convolution directly (oneDNN/mkldnn on CPU);
  the Java layer rewrites dilations 2 and 3 as space-to-batch + an undilated convolution
  (SpaceToBatch.java) because ND4J's oneDNN helpers refuse dilated ones. Same arithmetic.
- The sampler: here one batched grid computation in float64 (torch.searchsorted for the
  inverse CDF) and grid_sample; Java computes each image's grid in a double[] loop and samples
  by two matrix products (SeparableSampling). The start-up check asserts that both give the
  same views (the matrix form is computed here too, once) and that a uniform map gives exactly
  the align-corners resize. As in Java (AttentionGrid.java), the first and last output rows and columns
  always sample the image border, however peaked the attention.
- The detail map's random channel comes from torch.randint, not from DetailMapImpl's seeded
  SplittableRandom; initial weights (He-normal convolutions, Xavier fully connected layers,
  as TasnGraph asks) come from PyTorch's generator. Speed does not depend on either.
- Debian's python3-torch is built without MKL or OpenBLAS (BLAS_INFO=generic): convolutions
  run on oneDNN, but matrix products (the trilinear attention's two bmm, the fcs) on PyTorch's
  fallback GEMM, 2-4x slower per FLOP than its oneDNN convolutions here; they are about 1% of
  the FLOPs. Check with: /usr/bin/python3 -c 'import torch; print(torch.__config__.show())'
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torchvision.models.resnet import BasicBlock, conv1x1, conv3x3

# The `cpu` preset (conf/tasn-cpu.conf == src/main/resources/tasn/config/cpu.conf over reference.conf).
CPU = dict(
    raw_size=224,            # data.raw-size
    attention_size=112,      # model.attention-size
    sampled_size=112,        # model.sampled-size
    attention_width=32,      # model.attention.width (half ResNet-18's)
    attention_strides=(1, 1, 2, 1),
    head_channels=256,       # model.attention.head-channels
    trilinear_scale=7.0,     # model.attention.trilinear-scale
    sampler_iterations=5,    # model.sampler.iterations
    sampler_dense=4.0,       # model.sampler.dense
    structure_exponent=2.0,  # model.sampler.structure-exponent
    detail_exponent=1.0,     # model.sampler.detail-exponent
    backbone_width=64,       # model.backbone.width
    backbone_strides=(1, 2, 2, 2),
    layers=(2, 2, 2, 2),     # both trunks: basic blocks, ResNet-18's depth, imagenet stem
    temperature=10.0,        # model.loss.temperature
    weights=dict(attention=1.0, part=0.5, master=0.5, shared_part=0.5, shared_master=0.5, distillation=1.0),
    num_classes=10,          # model.num-classes (StepTimeBench builds the preset as it is)
    learning_rate=0.1,       # GraphOptions.defaults(): Sgd(0.1), no weight decay
)


# ---- trunks ----------------------------------------------------------------------------------

class PreActBasicBlock(nn.Module):
    """PreActResNet.basicBlock: out = conv3x3(ReLU(BN(conv3x3(ReLU(BN(x)), stride)))) + shortcut,
    the shortcut x or a 1x1 projection (no BN) of the pre-activated x."""

    def __init__(self, inplanes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes)
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = conv1x1(inplanes, planes, stride) if stride != 1 or inplanes != planes else None

    def forward(self, x):
        pre = self.relu(self.bn1(x))
        out = self.conv2(self.relu(self.bn2(self.conv1(pre))))
        return out + (x if self.downsample is None else self.downsample(pre))


def imagenet_stem(width):
    """BN of the input, 7x7/2 convolution, BN, ReLU, 3x3/2 max-pool: the imagenet stem of both trunks."""
    return [nn.BatchNorm2d(3), nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width),
            nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]


def preact_resnet(width, strides, layers):
    """PreActResNet.build with the imagenet stem: BN of the input, 7x7/2, BN, ReLU, 3x3/2 max-pool,
    the stages (the first block of each strides), then the final BN-ReLU. Returns (trunk, channels)."""
    mods = imagenet_stem(width)
    inplanes = width
    for i, (blocks, stride) in enumerate(zip(layers, strides)):
        planes = width << i
        for b in range(blocks):
            mods.append(PreActBasicBlock(inplanes, planes, stride if b == 0 else 1))
            inplanes = planes
    mods += [nn.BatchNorm2d(inplanes), nn.ReLU(inplace=True)]
    return nn.Sequential(*mods), inplanes


def torchvision_resnet(width, strides, layers):
    """torchvision's (post-activation) ResNet-18 layers, with an input BN added (PreActResNet.java: the
    images are mean-subtracted only). With ResNet-18's width and strides it IS
    torchvision.models.resnet18 minus avgpool/fc; otherwise the same BasicBlocks at `width`."""
    if width == 64 and tuple(strides) == (1, 2, 2, 2) and tuple(layers) == (2, 2, 2, 2):
        r = torchvision.models.resnet18()
        return nn.Sequential(nn.BatchNorm2d(3), r.conv1, r.bn1, r.relu, r.maxpool,
                             r.layer1, r.layer2, r.layer3, r.layer4), 512
    mods = imagenet_stem(width)
    inplanes = width
    for i, (blocks, stride) in enumerate(zip(layers, strides)):
        planes = width << i
        for b in range(blocks):
            s = stride if b == 0 else 1
            down = None
            if s != 1 or inplanes != planes:
                down = nn.Sequential(conv1x1(inplanes, planes, s), nn.BatchNorm2d(planes))
            mods.append(BasicBlock(inplanes, planes, s, down))
            inplanes = planes
    return nn.Sequential(*mods), inplanes


# ---- attention head, trilinear attention, maps, sampler --------------------------------------

class SharedDilatedConv(nn.Module):
    """SharedDilatedConvolution: sum over dilations d of ReLU(conv3x3(x; W, b, dilation d, padding d))."""

    def __init__(self, cin, cout, dilations):
        super().__init__()
        self.dilations = tuple(dilations)
        self.weight = nn.Parameter(torch.empty(cout, cin, 3, 3))
        self.bias = nn.Parameter(torch.zeros(cout))
        nn.init.kaiming_normal_(self.weight, nonlinearity="relu")

    def forward(self, x):
        out = None
        for d in self.dilations:
            z = F.relu(F.conv2d(x, self.weight, self.bias, padding=d, dilation=d))
            out = z if out is None else out + z
        return out


def resize(x, size):
    """Align-corners bilinear resize (AlignCornersResize)."""
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=True)


def trilinear_attention(x, scale):
    """TrilinearAttention: X (N, C, H, W) -> M = softmax_rows(softmax_HW(s X) X^T) X, same shape."""
    n, c, h, w = x.shape
    x = x.reshape(n, c, h * w)
    n1 = torch.softmax(x * scale, dim=2)
    n2 = torch.softmax(torch.bmm(n1, x.transpose(1, 2)), dim=2)   # (N, C, C)
    return torch.bmm(n2, x).reshape(n, c, h, w)


def raise_map(m, exponent):
    return m if exponent == 1.0 else m * m if exponent == 2.0 else m.pow(exponent)


def _density(marginal, out_size):
    """AttentionGrid.toOutputDensity: clip at 0, divide by the sum, times S; a zero or
    non-finite sum gives the uniform density S / L."""
    d = marginal.clamp_min(0)
    s = d.sum(1, keepdim=True)
    ok = (s > 0) & torch.isfinite(s)
    return torch.where(ok, d / torch.where(ok, s, torch.ones_like(s)) * out_size,
                       torch.full_like(d, out_size / d.shape[1]))


def attention_grid(maps, out_size, iterations, dense):
    """AttentionGrid.ofMaps for a batch of maps (N, 1, L, L), batched and in float64: the source
    row of every output row and source column of every output column, (N, S) each, map pixels."""
    maps = maps.double()
    n, _, length, _ = maps.shape
    a = maps.amax(dim=3).reshape(n, length)        # a(y) = max over x
    b = maps.amax(dim=2).reshape(n, length)        # b(x) = max over y
    finite = torch.isfinite(maps.sum(dim=(1, 2, 3))).unsqueeze(1)   # non-finite map: treated as zero
    a = _density(torch.where(finite, a, torch.zeros_like(a)), out_size)
    b = _density(torch.where(finite, b, torch.zeros_like(b)), out_size)
    first_cap = dense * out_size / length
    for it in range(iterations):                   # flatten peaks: clip at T, spread the excess
        cap = torch.minimum(a.amax(1, keepdim=True), b.amax(1, keepdim=True))
        if it == 0:
            cap = cap.clamp_max(first_cap)
        a = torch.minimum(a, cap)
        a = a + (out_size - a.sum(1, keepdim=True)) / length
        b = torch.minimum(b, cap)
        b = b + (out_size - b.sum(1, keepdim=True)) / length
    return _inverse_cdf(a, out_size), _inverse_cdf(b, out_size)


def _inverse_cdf(a, out_size):
    """AttentionGrid.inverseCdf: F(0) = 0, F(j) = F(j-1) + a(j); t_i = i F(L-1) / (S-1); the first
    j >= 1 with F(j) >= t; p = j - (F(j) - t) / (F(j) - F(j-1)), clamped to [0, L-1]."""
    n, length = a.shape
    cdf = torch.zeros_like(a)
    cdf[:, 1:] = torch.cumsum(a[:, 1:], dim=1)
    total = cdf[:, -1:]
    i = torch.arange(out_size, dtype=a.dtype).unsqueeze(0)
    t = i * total / (out_size - 1) if out_size > 1 else torch.zeros(n, 1, dtype=a.dtype)
    if out_size > 1:
        t[:, -1:] = total
    j = torch.searchsorted(cdf.contiguous(), t.contiguous(), right=False).clamp(1, length - 1)
    hi = torch.gather(cdf, 1, j)
    lo = torch.gather(cdf, 1, j - 1)
    step = hi - lo
    jf = j.to(a.dtype)
    p = torch.where(step > 0, jf - (hi - t) / torch.where(step > 0, step, torch.ones_like(step)), jf - 1)
    return p.clamp(0, length - 1)


def attention_sample(image, maps, out_size, iterations, dense):
    """AttentionSampler: (N, C, R, R) image and (N, 1, L, L) maps -> (N, C, S, S) views, no gradient.
    Output pixel (i, k) samples source point (col_k, row_i) bilinearly, zeros outside."""
    rows, cols = attention_grid(maps, out_size, iterations, dense)
    length = maps.shape[2]
    h, w = image.shape[2], image.shape[3]
    # map pixels -> image pixels -> grid_sample's align-corners coordinates in [-1, 1]
    gy = rows * ((h - 1) / (length - 1)) * (2.0 / (h - 1)) - 1
    gx = cols * ((w - 1) / (length - 1)) * (2.0 / (w - 1)) - 1
    n, s = rows.shape
    grid = torch.stack((gx.unsqueeze(1).expand(n, s, s), gy.unsqueeze(2).expand(n, s, s)), dim=3)
    return F.grid_sample(image, grid.to(image.dtype), mode="bilinear", padding_mode="zeros", align_corners=True)


def separable_sample(image, rows, cols):
    """SeparableSampling's matrix form, out_c = Wy . I_c . Wx^T (rows/cols in image pixels): the
    start-up check's reference for attention_sample."""
    def weights(pos, size):
        lower = pos.floor()
        f = pos - lower
        w = torch.zeros(*pos.shape, size, dtype=pos.dtype)
        lo = lower.long()
        for idx, wt in ((lo, 1 - f), (lo + 1, f)):
            ok = (idx >= 0) & (idx < size)
            w.scatter_add_(-1, idx.clamp(0, size - 1).unsqueeze(-1), (wt * ok).unsqueeze(-1))
        return w
    wy = weights(rows, image.shape[2])    # (N, S, H)
    wx = weights(cols, image.shape[3])    # (N, S, W)
    return torch.einsum("nsh,nchw,ntw->ncst", wy, image.double(), wx)


# ---- the model ---------------------------------------------------------------------------------

class Tasn(nn.Module):
    def __init__(self, cfg, num_classes, trunk="preact"):
        super().__init__()
        self.cfg = cfg
        build = preact_resnet if trunk == "preact" else torchvision_resnet
        self.att_trunk, att_channels = build(cfg["attention_width"], cfg["attention_strides"], cfg["layers"])
        hc = cfg["head_channels"]
        self.att1 = SharedDilatedConv(att_channels, hc, (1, 2))
        self.att2 = SharedDilatedConv(hc, hc, (1, 2, 3))
        self.att_bn = nn.BatchNorm2d(hc)
        self.att_fc = nn.Linear(hc, num_classes)
        self.backbone, feat = build(cfg["backbone_width"], cfg["backbone_strides"], cfg["layers"])
        self.fc1 = nn.Linear(feat, num_classes)   # part head (detail views)
        self.fc2 = nn.Linear(feat, num_classes)   # master head (structure views)
        self.fc = nn.Linear(feat, num_classes)    # shared head (both)
        for m in self.modules():                  # TasnGraph: WeightInit.RELU, XAVIER for the fcs
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            elif isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, image, views="both", trace=None):
        """Logits per head (dict). views: "both" (the whole graph) or "structure" (master path only).
        trace: a dict to receive the intermediate tensors (for the shape check)."""
        c = self.cfg
        t = trace if trace is not None else {}
        t["attention_input"] = x = resize(image, c["attention_size"])
        t["attention_features"] = x = self.att_trunk(x)
        t["att1"] = x = self.att1(x)
        t["att2"] = att2 = self.att2(x)
        out = {}
        if views == "both":
            pooled = F.adaptive_avg_pool2d(F.relu(self.att_bn(att2)), 1).flatten(1)
            out["att"] = self.att_fc(pooled)
        r, s, it, dense = c["raw_size"], c["sampled_size"], c["sampler_iterations"], c["sampler_dense"]
        with torch.no_grad():   # trilinear attention, maps and sampler pass no gradient (TasnGraph.java)
            t["maps"] = maps = trilinear_attention(att2.detach(), c["trilinear_scale"])
            t["structure_map"] = smap = raise_map(resize(maps.mean(1, keepdim=True), r), c["structure_exponent"])
            t["structure_view"] = sview = attention_sample(image, smap, s, it, dense)
            if views == "both":
                if self.training:   # one random channel per image
                    pick = torch.randint(maps.shape[1], (maps.shape[0],))
                    chosen = maps[torch.arange(maps.shape[0]), pick].unsqueeze(1)
                else:               # at test time the maps' mean
                    chosen = maps.mean(1, keepdim=True)
                t["detail_map"] = dmap = raise_map(resize(chosen, r), c["detail_exponent"])
                t["detail_view"] = dview = attention_sample(image, dmap, s, it, dense)
                stacked = torch.cat((dview, sview), 0)   # detail rows 0..N-1, structure N..2N-1
            else:
                stacked = sview
        t["backbone_features"] = f = self.backbone(stacked)
        t["pooled"] = f = F.adaptive_avg_pool2d(f, 1).flatten(1)
        if views == "both":
            n = image.shape[0]
            fd, fs = f[:n], f[n:]
            out["part"] = self.fc1(fd)
            out["master"] = self.fc2(fs)
            shared = self.fc(f)
            out["shared_part"], out["shared_master"] = shared[:n], shared[n:]
        else:
            out["master"] = self.fc2(f)
            out["shared_master"] = self.fc(f)
        return out


def tasn_loss(out, labels, cfg):
    """The six terms of TasnGraph (each averaged over the batch), weighted and summed."""
    w = cfg["weights"]
    temp = cfg["temperature"]
    loss = w["attention"] * F.cross_entropy(out["att"], labels)
    loss = loss + w["part"] * F.cross_entropy(out["part"], labels)
    loss = loss + w["master"] * F.cross_entropy(out["master"], labels)
    loss = loss + w["shared_part"] * F.cross_entropy(out["shared_part"], labels)
    loss = loss + w["shared_master"] * F.cross_entropy(out["shared_master"], labels)
    # DistillationLoss: teacher fc1, student fc2, no stop-gradient, no T^2
    soft = -(torch.softmax(out["part"] / temp, 1) * torch.log_softmax(out["master"] / temp, 1)).sum(1).mean()
    return loss + w["distillation"] * soft


# ---- start-up checks ---------------------------------------------------------------------------

def count_macs(model, image, views):
    """Multiply-adds of every convolution and fully connected layer in one forward (per batch),
    the shared dilated convolutions counted once per dilation, plus the trilinear attention's
    two matrix products (about 1% of the total)."""
    total = [0]

    def hook(m, inp, out):
        if isinstance(m, nn.Conv2d):
            total[0] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, SharedDilatedConv):
            total[0] += len(m.dilations) * out.numel() * m.weight[0].numel()
        else:
            total[0] += out.numel() * m.in_features

    hooks = [m.register_forward_hook(hook) for m in model.modules()
             if isinstance(m, (nn.Conv2d, nn.Linear, SharedDilatedConv))]
    trace = {}
    with torch.no_grad():
        model(image, views=views, trace=trace)
    for h in hooks:
        h.remove()
    n, c, h, w = trace["att2"].shape   # the trilinear attention's two batched products
    return total[0] + 2 * n * c * c * h * w


def check(model, image, labels, k, cfg, views, mode):
    """Asserts the output shapes once, and that the sampler equals its matrix form and is a plain
    align-corners resize for a uniform map. Returns the forward MACs per image."""
    n = image.shape[0]
    r, a, s, hc = cfg["raw_size"], cfg["attention_size"], cfg["sampled_size"], cfg["head_channels"]
    m = a // 8   # attention trunk stride: stem 4 x strides 1, 1, 2, 1
    trace = {}
    with torch.no_grad():
        out = model(image, views=views, trace=trace)
    expect = {"attention_input": (n, 3, a, a), "attention_features": (n, hc, m, m), "att1": (n, hc, m, m),
              "att2": (n, hc, m, m), "maps": (n, hc, m, m), "structure_map": (n, 1, r, r),
              "structure_view": (n, 3, s, s)}
    views_n = n
    if views == "both":
        expect.update({"detail_map": (n, 1, r, r), "detail_view": (n, 3, s, s)})
        views_n = 2 * n
    fs = -(-s // 32)   # backbone stride 32: 112 -> 4 x 4
    expect.update({"backbone_features": (views_n, 512, fs, fs), "pooled": (views_n, 512)})
    for name, shape in expect.items():
        assert tuple(trace[name].shape) == shape, (name, tuple(trace[name].shape), shape)
    heads = ("att", "part", "master", "shared_part", "shared_master") if views == "both" else ("master", "shared_master")
    assert sorted(out) == sorted(heads), sorted(out)
    for h in heads:
        assert tuple(out[h].shape) == (n, k), (h, tuple(out[h].shape))
        assert torch.isfinite(out[h]).all(), h
    if mode == "train":
        with torch.no_grad():
            assert torch.isfinite(tasn_loss(out, labels, cfg))
    # the sampler: grid_sample on the separable grid == Wy . I . Wx^T, and uniform map == resize
    smap = trace["structure_map"]
    rows, cols = attention_grid(smap, s, cfg["sampler_iterations"], cfg["sampler_dense"])
    scale = (r - 1) / (smap.shape[2] - 1)
    ref = separable_sample(image, rows * scale, cols * scale)
    err = (trace["structure_view"].double() - ref).abs().max().item()
    assert err < 1e-3 * max(1.0, image.abs().max().item()), ("sampler vs matrix form", err)
    urows, ucols = attention_grid(torch.ones(1, 1, r, r), s, cfg["sampler_iterations"], cfg["sampler_dense"])
    even = torch.arange(s, dtype=torch.float64) * (r - 1) / (s - 1)
    assert (urows[0] - even).abs().max() < 1e-9 and (ucols[0] - even).abs().max() < 1e-9, "uniform grid"
    uniform = attention_sample(image, torch.ones(n, 1, r, r), s, cfg["sampler_iterations"], cfg["sampler_dense"])
    err = (uniform - resize(image, s)).abs().max().item()   # float32 grid: ~1e-5 relative
    assert err < 1e-4 * max(1.0, image.abs().max().item()), ("uniform map vs align-corners resize", err)
    return count_macs(model, image, views) / n


# ---- timing ------------------------------------------------------------------------------------

def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mode", choices=("train", "infer"), default="train")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--classes", type=int, default=CPU["num_classes"])
    p.add_argument("--trunk", choices=("preact", "torchvision"), default="preact",
                   help="preact: PreActResNet.java layer for layer (default); torchvision: torchvision's post-activation blocks")
    p.add_argument("--views", choices=("both", "structure"), default="both",
                   help="infer only: both = the whole graph as TasnPredictor runs it (default); structure = master path only")
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    if a.mode == "train" and a.views != "both":
        p.error("--views structure is for --mode infer (training needs both views)")
    if a.batch < 1 or a.iterations < 1 or a.classes < 2:
        p.error("--batch and --iterations must be >= 1, --classes >= 2")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    cfg = CPU
    k = a.classes
    model = Tasn(cfg, k, a.trunk)
    r = cfg["raw_size"]
    image = (torch.rand(a.batch, 3, r, r) - 0.5) * 100   # StepTimeBench: rand - 0.5, x 100
    labels = torch.arange(a.batch) % k

    trainable = sum(t.numel() for t in model.parameters() if t.requires_grad)
    bn_stats = sum(m.running_mean.numel() + m.running_var.numel()
                   for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    parts = {"attention trunk": model.att_trunk, "attention head (att1, att2, BN, fc)":
             [model.att1, model.att2, model.att_bn, model.att_fc],
             "backbone": model.backbone, "heads fc1, fc2, fc": [model.fc1, model.fc2, model.fc]}
    counts = []
    for name, mods in parts.items():
        mods = mods if isinstance(mods, list) else [mods]
        counts.append("%s %s" % (name, format(sum(t.numel() for m in mods for t in m.parameters()), ",")))
    print("torch_tasn: parameters %s = %s trainable; %s with the BN running statistics (DL4J's numParams)"
          % (" + ".join(counts), format(trainable, ","), format(trainable + bn_stats, ",")), file=sys.stderr)
    model.train(a.mode == "train")
    macs = check(model, image, labels, k, cfg, a.views, a.mode)

    if a.mode == "train":
        opt = torch.optim.SGD(model.parameters(), lr=cfg["learning_rate"])

        def step():
            opt.zero_grad(set_to_none=True)
            loss = tasn_loss(model(image), labels, cfg)
            loss.backward()
            opt.step()
            return loss.item()
    else:
        def step():
            with torch.no_grad():
                out = model(image, views=a.views)
                probs = [torch.softmax(v, 1) for v in out.values()]
            return probs[0].sum().item()

    for _ in range(a.warmup):
        step()
    ms, cpu = [], []
    result = 0.0
    for _ in range(a.iterations):
        c0, t0 = cpu_seconds(), time.perf_counter()
        result = step()
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((cpu_seconds() - c0) * 1000)
    if result != result:
        raise SystemExit("NaN: the %s step diverged" % a.mode)
    med = median(ms)
    factor = 3.0 if a.mode == "train" else 1.0   # forward + input gradients + weight gradients
    print(json.dumps({
        "impl": "torch", "model": "tasn", "preset": "cpu", "mode": a.mode, "batch": a.batch,
        "ms_per_step": round(med, 1), "images_per_s": round(a.batch / (med / 1000), 2),
        "cpu_ms_per_step": round(median(cpu), 1),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,   # KiB on Linux
        "parameters": trainable, "parameters_dl4j_convention": trainable + bn_stats,
        "threads": a.threads, "classes": k, "trunk": a.trunk, "views": a.views if a.mode == "infer" else "both",
        "warmup": a.warmup, "iterations": a.iterations,
        "ms_mean": round(sum(ms) / len(ms), 1), "ms_min": round(min(ms), 1),
        "gmac_per_image_forward": round(macs / 1e9, 3),
        "approx_gflop_per_image": round(2 * factor * macs / 1e9, 2),
        "torch": torch.__version__, "load_avg_1m": round(os.getloadavg()[0], 2),
    }), flush=True)


if __name__ == "__main__":
    main()

"""NAS-Bench-201 macro network in PyTorch, written from ../shared/docs/methods/zero-cost-proxies.md §3 so that the
speed comparison runs the same network as NasSharp's NetworkFactory (src/NasSharp.Torch/Networks/Nb201Network.cs).

stem Conv3x3(3->16, no bias)+BN; 3 stages x 5 cells at 16/32/64 channels with a residual reduction block between
stages; head BN-ReLU-global average pool-Linear. Cell ops: ReLU-Conv-BN (1x1, 3x3), identity, 3x3 average pool
(count_include_pad=False), none (no module; a node with no input is zeros, as in NasSharp).
"""
import torch
from torch import nn

# Best CIFAR-10 test architecture of NB201 (index 6111), 1,073,466 parameters at 10 classes.
BEST_6111 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"


def parse_arch(arch):
    """'|op~0|+|op~0|op~1|+|op~0|op~1|op~2|' -> list of (target node, source node, op name)."""
    edges = []
    for target, group in enumerate(arch.strip("|").split("|+|"), start=1):
        for token in group.strip("|").split("|"):
            op, source = token.split("~")
            edges.append((target, int(source), op))
    if len(edges) != 6 or any(s >= t for t, s, _ in edges):
        raise ValueError(f"not an NB201 cell string: {arch}")
    return edges


def norm(channels, batch_norm):
    return nn.BatchNorm2d(channels) if batch_norm else nn.Identity()


class ReluConvBn(nn.Sequential):
    def __init__(self, c_in, c_out, kernel, stride, batch_norm):
        super().__init__(nn.ReLU(),
                         nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=False),
                         norm(c_out, batch_norm))


def make_op(name, channels, batch_norm):
    if name == "none":
        return None
    if name == "skip_connect":
        return nn.Identity()
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)
    if name in ("nor_conv_1x1", "nor_conv_3x3"):
        return ReluConvBn(channels, channels, int(name[-1]), 1, batch_norm)
    raise ValueError(f"unknown NB201 op {name}")


class Cell(nn.Module):
    """4 nodes; node j = sum over i<j of op(node i); output node 3. 'none' edges build nothing."""

    def __init__(self, edges, channels, batch_norm):
        super().__init__()
        self.edges = nn.ModuleDict()
        for target, source, op in edges:
            module = make_op(op, channels, batch_norm)
            if module is not None:
                self.edges[f"{target}<-{source}"] = module

    def forward(self, x):
        nodes = [x]
        for target in (1, 2, 3):
            total = None
            for source in range(target):
                key = f"{target}<-{source}"
                if key in self.edges:
                    out = self.edges[key](nodes[source])
                    total = out if total is None else total + out
            nodes.append(torch.zeros_like(x) if total is None else total)
        return nodes[3]


class Reduction(nn.Module):
    """ResNet basic block, stride 2: ReLU-Conv3x3(s2)-BN -> ReLU-Conv3x3-BN, plus AvgPool2d(2) -> Conv1x1 shortcut."""

    def __init__(self, c_in, c_out, batch_norm):
        super().__init__()
        self.conv_a = ReluConvBn(c_in, c_out, 3, 2, batch_norm)
        self.conv_b = ReluConvBn(c_out, c_out, 3, 1, batch_norm)
        self.shortcut = nn.Sequential(nn.AvgPool2d(2, stride=2), nn.Conv2d(c_in, c_out, 1, bias=False))

    def forward(self, x):
        return self.shortcut(x) + self.conv_b(self.conv_a(x))


class Nb201Network(nn.Module):
    def __init__(self, arch=BEST_6111, num_classes=10, stem_channels=16, cells_per_stage=5, batch_norm=True):
        super().__init__()
        edges = parse_arch(arch)
        c = stem_channels
        self.stem = nn.Sequential(nn.Conv2d(3, c, 3, padding=1, bias=False), norm(c, batch_norm))
        blocks = []
        for stage in range(3):
            if stage > 0:
                blocks.append(Reduction(c, 2 * c, batch_norm))
                c *= 2
            blocks.extend(Cell(edges, c, batch_norm) for _ in range(cells_per_stage))
        self.cells = nn.Sequential(*blocks)
        self.lastact = nn.Sequential(norm(c, batch_norm), nn.ReLU())
        self.global_pooling = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        features = self.lastact(self.cells(self.stem(x)))
        return self.classifier(self.global_pooling(features).flatten(1))


def parameter_count(module):
    return sum(p.numel() for p in module.parameters())


def closed_form_parameters(arch, num_classes=10):
    """72,656 + 65*K + 243,040*n3 + 28,000*n1 (proxies spec §3.3)."""
    ops = [op for _, _, op in parse_arch(arch)]
    return 72_656 + 65 * num_classes + 243_040 * ops.count("nor_conv_3x3") + 28_000 * ops.count("nor_conv_1x1")

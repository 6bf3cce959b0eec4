"""Times the NB201 network (default: index 6111) in PyTorch on the CPU, the same work as NasSharp's BenchmarkDotNet
TrainStepBenchmark (bench/NasSharp.Bench/TrainStepBenchmark.cs) and, with --proxies, the shared proxy passes of
ProxyBenchmark. Run with Debian's PyTorch: /usr/bin/python3 bench/pytorch/nb201_speed.py --threads 1

Cases (each: --warmup untimed runs, then --reps timed runs; median, min, max and interquartile range of wall time, and
the mean CPU time of this process per run, all threads, which is robust to other jobs on the machine — NasSharp's
CpuTimeDiagnoser column "CPU/op" is the same measure):
  train  one SGD step: zero_grad, forward, cross-entropy, backward, SGD(lr 0.1, momentum 0.9, Nesterov, weight decay
         5e-4) on a batch of --batch N(0,1) images 3x32x32 with random labels, network in train mode;
  eval   forward only, eval mode (BN running statistics), under torch.no_grad();
  tiny   the train step on one 3x8x8 image (NasSharp's SgdStepOverheadBound): a bound on the fixed per-step cost.
--proxies adds, on a batch of 32 (ProxyBenchmark's), each on a freshly built network as NasSharp's per-proxy cases:
  grad_norm  CE forward/backward with every Conv2d/Linear output's gradient kept (the pass grad_norm, snip, fisher
             and plain share), float64 copies of weights and gradients, grad_norm and fisher sums;
  nwot       forward with ReLU-input hooks accumulating the NASWOT kernel, backward of sum(logits) to the input
             (the pass nwot, jacov and epe_nas share), slogdet;
  synflow    BN-free float64 copy with |parameters|, one all-ones image, backward of sum(logits);
  grasp      forward, gradients with create_graph, backward of <g, dL/dθ> (Hessian-gradient product).
"""
import argparse
import json
import platform
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

import nb201


def time_case(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(reps):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    q = statistics.quantiles(wall, n=4) if reps >= 2 else [wall[0]] * 3
    return {"median_ms": 1e3 * statistics.median(wall), "min_ms": 1e3 * min(wall), "max_ms": 1e3 * max(wall),
            "iqr_ms": 1e3 * (q[2] - q[0]), "cpu_mean_ms": 1e3 * statistics.mean(cpu), "reps": reps}


def _sgd_step(arch, x, y):
    """One Nesterov-SGD step of cross-entropy on (x, y), the same optimiser settings as our Trainer."""
    torch.manual_seed(0)
    net = nb201.Nb201Network(arch).train()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()
    return step


def train_step_case(arch, batch):
    torch.manual_seed(0)
    return _sgd_step(arch, torch.randn(batch, 3, 32, 32), torch.randint(0, 10, (batch,)))


def tiny_step_case(arch, _batch):
    """The SGD step on one 3x8x8 image: ~1/1000 of the arithmetic, so its time bounds the fixed per-step cost."""
    torch.manual_seed(0)
    return _sgd_step(arch, torch.randn(1, 3, 8, 8), torch.zeros(1, dtype=torch.long))


def eval_case(arch, batch):
    torch.manual_seed(0)
    net = nb201.Nb201Network(arch).eval()
    x = torch.randn(batch, 3, 32, 32)

    def forward():
        with torch.no_grad():
            return net(x).sum().item()
    return forward


def weight_layers(net):
    return [m for m in net.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]


def fresh(arch, batch_norm=True):
    torch.manual_seed(0)
    return nb201.Nb201Network(arch, batch_norm=batch_norm).train()


def proxy_cases(arch, batch):
    torch.manual_seed(1)
    x, y = torch.randn(batch, 3, 32, 32), torch.randint(0, 10, (batch,))

    def gradient_pass():
        net = fresh(arch)
        layers = weight_layers(net)
        outputs = {}

        def keep(module, _inputs, output):
            output.retain_grad()
            outputs[module] = output
        hooks = [m.register_forward_hook(keep) for m in layers]
        F.cross_entropy(net(x), y).backward()
        grad_norm = fisher = 0.0
        for m in layers:
            w, g = m.weight.detach().double(), m.weight.grad.double()
            grad_norm += g.norm().item()
            _snip = (w * g).abs().sum().item()
            a, d = outputs[m].detach().double(), outputs[m].grad.double()
            s = (a * d).sum((2, 3)) if a.dim() == 4 else a * d
            fisher += (0.5 * s.pow(2).mean(0)).abs().sum().item() * (w[0].numel())
        for h in hooks:
            h.remove()
        return grad_norm + fisher

    def jacobian_pass():
        net = fresh(arch)
        kernel = torch.zeros(batch, batch, dtype=torch.float64)

        def codes(_module, inputs):
            c = (inputs[0].detach().reshape(batch, -1) > 0).float()
            kernel.add_((c @ c.T + (1 - c) @ (1 - c).T).double())
        hooks = [m.register_forward_pre_hook(codes) for m in net.modules() if isinstance(m, nn.ReLU)]
        xi = x.detach().clone().requires_grad_(True)
        out = net(xi)
        jac = torch.autograd.grad(out, xi, torch.ones_like(out))[0].reshape(batch, -1).double()
        for h in hooks:
            h.remove()
        return torch.linalg.slogdet(kernel)[1].item() + jac.sum().item()

    def synflow():
        net = fresh(arch, batch_norm=False).double()
        with torch.no_grad():
            for p in net.parameters():
                p.abs_()
        net(torch.ones(1, 3, 32, 32, dtype=torch.float64)).sum().backward()
        return sum((m.weight.detach() * m.weight.grad).abs().sum().item() for m in weight_layers(net))

    def grasp():
        net = fresh(arch)
        weights = [m.weight for m in weight_layers(net)]
        grads = torch.autograd.grad(F.cross_entropy(net(x), y), weights, create_graph=True)
        z = sum((g.detach() * g).sum() for g in grads)
        z.backward()
        return -sum((w.detach().double() * w.grad.double()).sum().item() for w in weights)

    return {"grad_norm": gradient_pass, "nwot": jacobian_pass, "synflow": synflow, "grasp": grasp}


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "n/a"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", default="1", help="torch intra-op threads, one value or a list: 1 or 1,2")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--reps", type=int, default=15)
    p.add_argument("--arch", default=nb201.BEST_6111)
    p.add_argument("--cases", default="train,eval,tiny", help="train,eval,tiny (default) — any subset")
    p.add_argument("--proxies", action="store_true", help="also time the proxy passes (batch 32, 1 warm-up, --reps)")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout instead of the table")
    args = p.parse_args()

    count, expected = nb201.parameter_count(nb201.Nb201Network(args.arch)), nb201.closed_form_parameters(args.arch)
    if count != expected:
        sys.exit(f"parameter count {count} differs from the closed form {expected}: the network is wrong")

    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        torch.set_num_threads(threads)
        cases = {"train": train_step_case, "eval": eval_case, "tiny": tiny_step_case}
        for name in [c.strip() for c in args.cases.split(",") if c.strip()]:
            r = time_case(cases[name](args.arch, args.batch), args.warmup, args.reps)
            batch = 1 if name == "tiny" else args.batch
            results.append({"case": name, "threads": threads, "batch": batch,
                            "images_per_s": batch / (r["median_ms"] / 1e3), "load_average": load_average(), **r})
            if not args.json:
                print_row(results[-1], header=len(results) == 1)
        if args.proxies:
            for name, fn in proxy_cases(args.arch, 32).items():
                r = time_case(fn, 1, max(3, args.reps // 3))
                results.append({"case": "proxy:" + name, "threads": threads, "batch": 32, "images_per_s": None,
                                "load_average": load_average(), **r})
                if not args.json:
                    print_row(results[-1], header=False)

    meta = {"torch": torch.__version__, "python": platform.python_version(), "cpu": cpu_name(),
            "parameters": count, "arch": args.arch}
    if args.json:
        print(json.dumps({**meta, "results": results}, indent=1))
    else:
        print(f"torch {meta['torch']}, {meta['cpu']}, NB201 {count:,} parameters")


def print_row(r, header):
    if header:
        print(f"{'case':<16}{'thr':>4}{'batch':>6}{'median ms':>11}{'min':>9}{'max':>9}{'IQR':>8}{'cpu ms':>9}"
              f"{'img/s':>8}  load")
    ips = f"{r['images_per_s']:8.1f}" if r["images_per_s"] else f"{'':>8}"
    print(f"{r['case']:<16}{r['threads']:>4}{r['batch']:>6}{r['median_ms']:>11.1f}{r['min_ms']:>9.1f}{r['max_ms']:>9.1f}"
          f"{r['iqr_ms']:>8.1f}{r['cpu_mean_ms']:>9.1f}{ips}  {r['load_average']}", flush=True)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()

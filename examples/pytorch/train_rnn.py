"""Trains a small PyTorch RNN or LSTM on the 3-bit flip-flop task and saves what rnn-lyap reads.

    python3 train_rnn.py --cell lstm     # or --cell rnn

writes model.safetensors (the state dict: rnn.weight_ih_l0, rnn.weight_hh_l0, ..., fc.weight, fc.bias)
and inputs.npy (held-out input sequences, float32 [B, T, 3]), then prints a float64 PyTorch reference
of the Lyapunov spectrum along the same sequences (QR every step, as rnn-lyap computes it), so the
number `rnn-lyap spectrum model.safetensors --inputs inputs.npy` prints can be checked.
"""
import argparse
import os
import sys

import numpy as np
import torch
from torch import nn

try:
    from safetensors.torch import save_file
except ImportError:  # the same format, written by a small pure-Python writer in this folder
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from save_safetensors import save_file


def flip_flop(batch, steps, bits, p, rng):
    """Pulses of ±1 with probability p per step and channel; the target holds the last pulse's sign."""
    pulse = rng.random((batch, steps, bits)) < p
    sign = np.where(rng.random((batch, steps, bits)) < 0.5, -1.0, 1.0)
    x = (pulse * sign).astype(np.float32)
    y = np.zeros_like(x)
    state = np.zeros((batch, bits), dtype=np.float32)
    for t in range(steps):
        state = np.where(pulse[:, t], x[:, t], state)
        y[:, t] = state
    return x, y


class Model(nn.Module):
    def __init__(self, cell, inputs, hidden, outputs):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.RNN)(inputs, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, outputs)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.fc(h)


def reference_spectrum(model, cell, x, frame_warmup, seed=0):
    """Float64 Lyapunov spectrum of the trained network along each sequence of x [B, T, I]: the
    Jacobian of PyTorch's own one-step map (autograd) on the full state ([h; c] for an LSTM), QR of
    J·Q every step, the first `frame_warmup` steps aligning the frame and not counted. Returns the
    per-sequence exponents [B, dim] (natural log per step)."""
    rnn64 = model.rnn.double()
    H = rnn64.hidden_size
    dim = 2 * H if cell == "lstm" else H
    gen = torch.Generator().manual_seed(seed)

    def step(s, xt):
        if cell == "lstm":
            _, (h, c) = rnn64(xt.view(1, 1, -1), (s[:H].view(1, 1, H), s[H:].view(1, 1, H)))
            return torch.cat([h.view(H), c.view(H)])
        _, h = rnn64(xt.view(1, 1, -1), s.view(1, 1, H))
        return h.view(H)

    out = []
    for b in range(x.shape[0]):
        s = torch.zeros(dim, dtype=torch.float64)
        q, _ = torch.linalg.qr(torch.randn(dim, dim, generator=gen, dtype=torch.float64))
        total = torch.zeros(dim, dtype=torch.float64)
        for t in range(x.shape[1]):
            xt = torch.from_numpy(x[b, t]).double()
            jac = torch.autograd.functional.jacobian(lambda v: step(v, xt), s)
            with torch.no_grad():
                s = step(s, xt)
            q, r = torch.linalg.qr(jac @ q)
            d = torch.diagonal(r)
            q = q * torch.sign(d)  # R with a non-negative diagonal
            if t >= frame_warmup:
                total += torch.log(torch.abs(d))
        out.append((total / (x.shape[1] - frame_warmup)).sort(descending=True).values)
    return torch.stack(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cell", choices=["rnn", "lstm"], default="lstm")
    ap.add_argument("--hidden", type=int, default=16)
    ap.add_argument("--steps", type=int, default=600, help="training steps")
    ap.add_argument("--out", default="model.safetensors")
    ap.add_argument("--inputs", default="inputs.npy")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    model = Model(args.cell, 3, args.hidden, 3)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for it in range(args.steps):
        x, y = flip_flop(64, 100, 3, 0.05, rng)
        loss = ((model(torch.from_numpy(x)) - torch.from_numpy(y)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (it + 1) % 200 == 0:
            print("step %d  mse %.4f" % (it + 1, loss.item()))
    save_file(model.state_dict(), args.out, metadata={"model": "%s(3,%d)+Linear(%d,3), 3-bit flip-flop" % (args.cell, args.hidden, args.hidden)})
    held_out, _ = flip_flop(8, 200, 3, 0.05, np.random.default_rng(1))
    np.save(args.inputs, held_out)
    print("saved %s and %s %s" % (args.out, args.inputs, list(held_out.shape)))
    # rnn-lyap's defaults with inputs: no state warm-up, frame warm-up min(100, T/10) = 20 steps
    per = reference_spectrum(model, args.cell, held_out, frame_warmup=min(100, held_out.shape[1] // 10))
    mean, std = per.mean(0), per.std(0)
    print("PyTorch float64 reference (QR every step, mean over %d sequences):" % per.shape[0])
    print("  lambda_1 = %.6f +- %.6f (std)   lambda_2 = %.6f   lambda_%d = %.6f" % (mean[0], std[0], mean[1], len(mean), mean[-1]))
    # the sum of all exponents is the mean log|det J| and does not depend on the initial frame
    print("  sum of all %d exponents = %.6f" % (len(mean), mean.sum()))


if __name__ == "__main__":
    main()

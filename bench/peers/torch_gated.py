#!/usr/bin/python3
"""PyTorch peer for bench/gated.bench.ts (single thread, float32).

Modes
  torch_gated.py train CELL STEPS [--warmup W] [--hidden H] [--batch B] [--steps-per-seq T] [--input I]
      nn.GRU / nn.LSTM(I, H, batch_first) + nn.Linear(H, 10), Adam lr 1e-3, gradient-norm clip 1,
      cross-entropy on the last step, random data; times STEPS steps after W warm-up steps.
      Prints {"ms_per_step" (wall), "cpu_ms_per_step" (time.process_time), "torch", "threads"}.
  torch_gated.py spectrum CELL K STEPS [--hidden H] [--input I]
      Lyapunov spectrum per step of the cell driven by random N(0,1) inputs, as RNN studies write it
      in PyTorch: the one-step Jacobian of the full state (GRU: h, dim H; LSTM: [h; c], dim 2H) formed
      analytically from the gates, Z = J Q, torch.linalg.qr every step, sum log|diag R|. K = 0: the
      full spectrum. CPU time (time.process_time), best of 5 chunks. Prints {"us_per_step", "torch"}.

Run with /usr/bin/python3 (Debian's python3-torch).
"""
import argparse
import json
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(1)


class Net(nn.Module):
    def __init__(self, cell, inp, hidden, out):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(inp, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, out)

    def forward(self, x):
        states, _ = self.rnn(x)
        return self.fc(states[:, -1, :])


def train(a):
    torch.manual_seed(1)
    net = Net(a.cell, a.input, a.hidden, 10)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(a.batch, a.steps_per_seq, a.input)
    y = torch.randint(0, 10, (a.batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()

    for _ in range(a.warmup):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps):
        step()
    ms = (time.perf_counter() - t0) * 1000 / a.steps
    cpu = (time.process_time() - c0) * 1000 / a.steps
    print(json.dumps({"ms_per_step": ms, "cpu_ms_per_step": cpu, "torch": torch.__version__, "threads": torch.get_num_threads()}))


def jacobian(cell, w_ih, w_hh, b_ih, b_hh, x, s, H):
    """One step of the cell from state s and input x: (next state, Jacobian of the full state)."""
    if cell == "lstm":
        h, c = s[:H], s[H:]
        a = w_ih @ x + b_ih + w_hh @ h + b_hh
        i, f, g, o = torch.sigmoid(a[:H]), torch.sigmoid(a[H:2 * H]), torch.tanh(a[2 * H:3 * H]), torch.sigmoid(a[3 * H:])
        c2 = f * c + i * g
        tc = torch.tanh(c2)
        h2 = o * tc
        wi, wf, wg, wo = w_hh[:H], w_hh[H:2 * H], w_hh[2 * H:3 * H], w_hh[3 * H:]
        dc_dh = (g * i * (1 - i))[:, None] * wi + (c * f * (1 - f))[:, None] * wf + (i * (1 - g * g))[:, None] * wg
        gam = o * (1 - tc * tc)
        dh_dh = (tc * o * (1 - o))[:, None] * wo + gam[:, None] * dc_dh
        J = torch.empty(2 * H, 2 * H)
        J[:H, :H] = dh_dh
        J[:H, H:] = torch.diag(gam * f)
        J[H:, :H] = dc_dh
        J[H:, H:] = torch.diag(f)
        return torch.cat([h2, c2]), J
    gx = w_ih @ x + b_ih
    gh = w_hh @ s + b_hh
    r = torch.sigmoid(gx[:H] + gh[:H])
    z = torch.sigmoid(gx[H:2 * H] + gh[H:2 * H])
    hn = gh[2 * H:]
    n = torch.tanh(gx[2 * H:] + r * hn)
    h2 = (1 - z) * n + z * s
    dn = (1 - z) * (1 - n * n)
    J = (dn * hn * r * (1 - r))[:, None] * w_hh[:H] + ((s - n) * z * (1 - z))[:, None] * w_hh[H:2 * H] + (dn * r)[:, None] * w_hh[2 * H:]
    J = J + torch.diag(z)
    return h2, J


def spectrum(a):
    torch.manual_seed(1)
    H = a.hidden
    mod = (nn.LSTM if a.cell == "lstm" else nn.GRU)(a.input, H)
    w_ih, w_hh, b_ih, b_hh = (p.detach() for p in (mod.weight_ih_l0, mod.weight_hh_l0, mod.bias_ih_l0, mod.bias_hh_l0))
    dim = 2 * H if a.cell == "lstm" else H
    k = dim if a.k == 0 else min(a.k, dim)
    xs = torch.randn(a.steps, a.input)
    q, _ = torch.linalg.qr(torch.randn(dim, k))
    s = torch.zeros(dim)
    le = torch.zeros(k)
    with torch.no_grad():
        def run(s, q, le):
            for t in range(a.steps):
                s, J = jacobian(a.cell, w_ih, w_hh, b_ih, b_hh, xs[t], s, H)
                q, r = torch.linalg.qr(J @ q)
                le = le + torch.log(torch.abs(torch.diagonal(r)))
            return s, q, le
        s, q, le = run(s, q, le)
        best = float("inf")
        for _ in range(5):
            t0 = time.process_time()
            s, q, le = run(s, q, le)
            best = min(best, (time.process_time() - t0) / a.steps)
    print(json.dumps({"us_per_step": best * 1e6, "torch": torch.__version__, "k": k, "dim": dim}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["train", "spectrum"])
    p.add_argument("cell", choices=["gru", "lstm"])
    p.add_argument("rest", nargs="*", type=int)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--hidden", type=int, default=200)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps-per-seq", type=int, default=28)
    p.add_argument("--input", type=int, default=28)
    a = p.parse_args()
    if a.mode == "train":
        a.steps = a.rest[0] if a.rest else 10
        train(a)
    else:
        a.k = a.rest[0] if a.rest else 0
        a.steps = a.rest[1] if len(a.rest) > 1 else 50
        spectrum(a)


if __name__ == "__main__":
    main()

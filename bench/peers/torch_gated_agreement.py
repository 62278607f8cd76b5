#!/usr/bin/python3
"""PyTorch reference for bench/gated-agreement.ts: reads a JSON file {cell, state_dict (float32 values),
x [B,T,I], labels [B], spectrum_inputs [TS,I], frame_warmup} and prints, as one JSON line, what
PyTorch computes in float64: hidden (and cell) states, readouts, last-step cross-entropy and its
autograd gradients (named as the state dict), the one-step Jacobian of the full state (h for the GRU,
[h; c] for the LSTM) by autograd at three states along the first sequence, and the Lyapunov spectrum
along the driven trajectory from the zero state (autograd Jacobian, QR of the whole frame every step,
identity frame at t = 0, the first frame_warmup steps not counted).

Usage: /usr/bin/python3 torch_gated_agreement.py INPUT.json
"""
import json
import sys

import torch
from torch import nn

torch.set_num_threads(1)


def one_step(cell, mod, u, state, H):
    w_ih, w_hh, b_ih, b_hh = mod.weight_ih_l0, mod.weight_hh_l0, mod.bias_ih_l0, mod.bias_hh_l0
    if cell == "lstm":
        hn, cn = torch._VF.lstm_cell(u[None], (state[None, :H], state[None, H:]), w_ih, w_hh, b_ih, b_hh)
        return torch.cat([hn[0], cn[0]])
    return torch._VF.gru_cell(u[None], state[None], w_ih, w_hh, b_ih, b_hh)[0]


def main():
    a = json.load(open(sys.argv[1]))
    cell = a["cell"]
    sd = {k: torch.tensor(v, dtype=torch.float64) for k, v in a["state_dict"].items()}
    H = sd["rnn.weight_hh_l0"].shape[1]
    I = sd["rnn.weight_ih_l0"].shape[1]
    O = sd["fc.weight"].shape[0]
    rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(I, H, batch_first=True).double()
    fc = nn.Linear(H, O).double()
    with torch.no_grad():
        for k, v in sd.items():
            (rnn if k.startswith("rnn.") else fc).get_parameter(k.split(".", 1)[1]).copy_(v)
    x = torch.tensor(a["x"], dtype=torch.float64)
    labels = torch.tensor(a["labels"])
    states, _ = rnn(x)
    outputs = fc(states)
    ce = nn.functional.cross_entropy(outputs[:, -1, :], labels)
    params = [("rnn." + n, p) for n, p in rnn.named_parameters()] + [("fc." + n, p) for n, p in fc.named_parameters()]
    grads = torch.autograd.grad(ce, [p for _, p in params])
    out = {"torch": torch.__version__, "states": states.detach().flatten().tolist(), "outputs": outputs.detach().flatten().tolist(),
           "ce": ce.item(), "grads": {n: g.flatten().tolist() for (n, _), g in zip(params, grads)}}
    dim = 2 * H if cell == "lstm" else H
    with torch.no_grad():
        s = torch.zeros(dim, dtype=torch.float64)
        cells = []
        traj = []
        for t in range(x.shape[1]):
            s = one_step(cell, rnn, x[0, t], s, H)
            traj.append(s.clone())
    jac = []
    for t in (0, x.shape[1] // 2, x.shape[1] - 1):
        u = x[0, min(t + 1, x.shape[1] - 1)]
        st = traj[t]
        J = torch.autograd.functional.jacobian(lambda v: one_step(cell, rnn, u, v, H), st, vectorize=True)
        jac.append({"t": t, "state": st.tolist(), "J": J.flatten().tolist()})
    out["jacobians"] = jac
    us = torch.tensor(a["spectrum_inputs"], dtype=torch.float64)
    fw = a["frame_warmup"]
    s = torch.zeros(dim, dtype=torch.float64)
    q = torch.eye(dim, dtype=torch.float64)
    acc = torch.zeros(dim, dtype=torch.float64)
    for t in range(us.shape[0]):
        f = lambda v: one_step(cell, rnn, us[t], v, H)
        J = torch.autograd.functional.jacobian(f, s, vectorize=True)
        q, r = torch.linalg.qr(J @ q)
        q = q * torch.sign(torch.diagonal(r))
        if t >= fw:
            acc += torch.log(torch.abs(torch.diagonal(r)))
        with torch.no_grad():
            s = f(s)
    out["spectrum"] = torch.sort(acc / (us.shape[0] - fw), descending=True).values.tolist()
    print(json.dumps(out))


if __name__ == "__main__":
    main()

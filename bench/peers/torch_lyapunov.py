"""PyTorch peer for bench/lyapunov.bench.ts: the standard QR algorithm for the Lyapunov spectrum of an
autonomous tanh RNN h' = tanh(W h), W_ij ~ N(0, g^2/n), as RNN studies implement it (e.g. Vogt et al.
2020): per step J = diag(1 - tanh^2(a)) W, Z = J Q, Q, R = torch.linalg.qr(Z), sum log|diag R|.
float32, one thread; CPU time (time.process_time), best of 8 chunks. Prints one JSON line: {"torch": version, "results": [{"n", "k", "us"}]}.

Usage: python3 torch_lyapunov.py [n,n,...] [k,k,...] [seconds per case]
"""
import json
import sys

import torch

from peer_timing import best_us


def run(n, k, seconds, g=1.5, seed=0):
    gen = torch.Generator().manual_seed(seed)
    w = g * torch.randn(n, n, generator=gen) / n ** 0.5
    h = 0.5 * torch.randn(n, generator=gen)
    q, _ = torch.linalg.qr(torch.randn(n, k, generator=gen))
    le = torch.zeros(k)

    def steps(count, h, q, le):
        for _ in range(count):
            a = w @ h
            h = torch.tanh(a)
            d = 1 - h * h  # tanh'(a) at the pre-activation of this step
            z = d[:, None] * (w @ q)  # J Q without forming J
            q, r = torch.linalg.qr(z)
            le = le + torch.log(torch.abs(torch.diagonal(r)))
        return h, q, le

    state = [h, q, le]

    def chunk(count):
        state[:] = steps(count, *state)

    with torch.no_grad():
        chunk(20)  # warm-up
        return best_us(chunk, seconds, count=10)


def main():
    ns = [int(v) for v in (sys.argv[1] if len(sys.argv) > 1 else "32,64,128,200").split(",")]
    ks = [int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "0,8").split(",")]  # 0 = full spectrum
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
    torch.set_num_threads(1)
    results = []
    for n in ns:
        for k in ks:
            kk = n if k == 0 else min(k, n)
            results.append({"n": n, "k": kk, "us": run(n, kk, seconds)})
    print(json.dumps({"torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()

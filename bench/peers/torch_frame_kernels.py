"""PyTorch peer for bench/frame-kernels.bench.ts: the two kernels of one step of the standard QR
algorithm for the Lyapunov spectrum (bench/peers/torch_lyapunov.py), timed apart, in float32 and in
float64, one thread: the frame product Z = diag(d) (W Q) and torch.linalg.qr(Z) (Q and R). CPU time
(time.process_time), best of 8 chunks. Prints one JSON line: {"torch": version, "results": [{"n",
"dtype", "product_us", "qr_us"}]}.

Usage: python3 torch_frame_kernels.py [n,n,...] [seconds per case]
"""
import json
import sys

import torch

from peer_timing import best_us


def timed_us(fn, seconds):
    fn()  # warm-up
    def chunk(count):
        for _ in range(count):
            fn()
    return best_us(chunk, seconds)


def main():
    ns = [int(v) for v in (sys.argv[1] if len(sys.argv) > 1 else "128,200").split(",")]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
    torch.set_num_threads(1)
    results = []
    with torch.no_grad():
        for n in ns:
            for dtype in (torch.float32, torch.float64):
                gen = torch.Generator().manual_seed(0)
                w = (1.5 * torch.randn(n, n, generator=gen) / n ** 0.5).to(dtype)
                q, _ = torch.linalg.qr(torch.randn(n, n, generator=gen).to(dtype))
                d = torch.rand(n, generator=gen).to(dtype)
                z = d[:, None] * (w @ q)
                results.append({
                    "n": n,
                    "dtype": "float32" if dtype == torch.float32 else "float64",
                    "product_us": timed_us(lambda: d[:, None] * (w @ q), seconds),
                    "qr_us": timed_us(lambda: torch.linalg.qr(z), seconds),
                })
    print(json.dumps({"torch": torch.__version__, "results": results}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fits the polynomial coefficients of the float32 activation kernel `act` in src/core/wasm/f32.wat,
and emulates that kernel to measure its error over every float32 input.

Run: /usr/bin/python3 scripts/fit-act.py [--check [STRIDE]]

Two polynomials, each fitted for the smallest maximum *relative* error of the function it serves
(Lawson's iteratively reweighted least squares on a dense Chebyshev grid, which converges to the
minimax fit), then rounded to float32 (the printed values are the ones f32.wat holds):

- expm1(r) = r + r^2 * H(r) on |r| <= ln2/2 (the reduced argument of e^y = 2^k e^r): H of degree
  EXP_DEG, fitted so that r^2 * H(r) approximates expm1(r) - r relative to expm1(r).
- tanh(x) = x + x * s * Q(s), s = x^2, on |x| < TANH_CUT: Q of degree TANH_DEG, fitted relative to
  tanh(x).

--check runs emulate_tanh / emulate_sigmoid, which repeat the kernel operation for operation in numpy
float32 arithmetic (every operation rounded to float32, as f32x4 does; no fused multiply-add; the
same bits as the WebAssembly), over every STRIDE-th float32 (default: every one) of [2^-14, 46] for
tanh and of +-[2^-26, 110] for sigmoid (outside those ranges the results are exact: tanh x = x,
tanh = +-1 with tanh' = 0, sigmoid = 1/2, 0 or 1), and prints the largest error in float32 ulps against
the float64 functions rounded to float32. test/core/wasm/f32-kernels.test.ts checks the WebAssembly
itself on a sweep of the whole range.
"""
import sys
import numpy as np

EXP_DEG = int(__import__('os').environ.get('EXP_DEG', 4))  # H(r) = h0 + h1 r + ... + h4 r^4: expm1 of degree 6
TANH_DEG = 5  # Q(s) = q0 + ... + q5 s^5: tanh of degree 13
TANH_CUT = 0.75
LN2_HALF = np.log(2) / 2


def lawson(basis, target, weight, iters=400):
    """Minimax (relative, via weight) linear fit of target on the columns of basis."""
    w = np.ones(len(target)) / len(target)
    for _ in range(iters):
        sw = np.sqrt(w) * weight
        c, *_ = np.linalg.lstsq(basis * sw[:, None], target * sw, rcond=None)
        err = np.abs((basis @ c - target) * weight)
        w = w * err
        w /= w.sum()
    return c, np.max(np.abs((basis @ c - target) * weight))


def cheb_grid(a, b, n=20001):
    k = np.arange(n)
    return (a + b) / 2 + (b - a) / 2 * np.cos(np.pi * (k + 0.5) / n)


def fit_exp():
    r = cheb_grid(-LN2_HALF, LN2_HALF)
    r = r[np.abs(r) > 1e-6]
    em1 = np.expm1(r)
    basis = np.stack([r ** (2 + i) for i in range(EXP_DEG + 1)], axis=1)
    c, err = lawson(basis, em1 - r, 1 / np.abs(em1))
    return c, err


def fit_tanh():
    x = cheb_grid(0, TANH_CUT)
    x = x[x > 1e-4]
    s = x * x
    t = np.tanh(x)
    basis = np.stack([x * s ** (1 + i) for i in range(TANH_DEG + 1)], axis=1)
    c, err = lawson(basis, t - x, 1 / t)
    return c, err


def f32(v):
    return np.float32(v)


LOG2E = 1.4426950408889634
LN2_HI = 0.693145751953125     # 15 significant bits: k * LN2_HI is exact for |k| < 512
LN2_LO = 1.428606765330187e-06  # ln 2 - LN2_HI


MAGIC = 12582912.0               # 1.5 * 2^23: v + MAGIC - MAGIC rounds v to an integer


def estrin_h(he, r, r2):
    F = np.float32
    h = [F(c) for c in he]
    return (h[0] + h[1] * r) + r2 * ((h[2] + h[3] * r) + r2 * h[4])


def exp_parts(a, he):
    """a = k ln2 + r (Cody-Waite, k >= 0 from the MAGIC rounding); returns k (int32), r, expm1(r)."""
    F = np.float32
    T = a * F(LOG2E) + F(MAGIC)
    kf = T - F(MAGIC)
    k = T.view(np.int32) - np.int32(0x4B400000)
    r = (a - kf * F(LN2_HI)) - kf * F(LN2_LO)
    r2 = r * r
    return k, kf, r2, r


def expm1_poly(he, r, r2):
    return r + r2 * estrin_h(he, r, r2)


def pow2(k):
    return ((k + 127) << 23).astype(np.int32).view(np.float32)


def emulate_tanh(x, he, qt):
    """The kernel's tanh and tanh' in float32 arithmetic, operation for operation (float32 array)."""
    F = np.float32
    ab = np.abs(x)
    a = np.where(F(44) < ab, F(44), ab)                # pmin: a NaN stays NaN
    k, kf, r2, r = exp_parts(a + a, he)
    p = expm1_poly(he, r, r2)
    s = pow2(k)
    q = F(4) / (s * p + (s + F(1)))                     # 4 / (e^{2a} + 1)
    tb = F(1) - q * F(0.5)
    gb = q * (F(1) - q * F(0.25))
    Q = [F(c) for c in qt]
    u = a * a
    u2 = u * u
    ts = a + (a * u) * ((Q[0] + Q[1] * u) + u2 * ((Q[2] + Q[3] * u) + u2 * (Q[4] + Q[5] * u)))
    gs = F(1) - ts * ts
    small = a < F(TANH_CUT)
    t = np.where(small, ts, tb)
    g = np.where(small, gs, gb)
    g = np.where(ab >= F(44), F(0), g)
    t = np.copysign(t, x)
    return t.astype(np.float32), g.astype(np.float32)


def emulate_sigmoid(x, he):
    """The kernel's sigmoid and sigmoid' in float32 arithmetic, operation for operation."""
    F = np.float32
    ab = np.abs(x)
    a = np.where(F(104) < ab, F(104), ab)
    T = a * F(LOG2E) + F(MAGIC)
    kf = T - F(MAGIC)
    r = (kf * F(LN2_HI) - a) + kf * F(LN2_LO)           # -a = -k ln2 + r
    r2 = r * r
    p = expm1_poly(he, r, r2)
    k = T.view(np.int32) - np.int32(0x4B400000)
    k1 = k >> 1
    e = ((F(1) + p) * pow2(-k1)) * pow2(k1 - k)           # e^{-a}, 2^-k in two halves
    lo = e / (F(1) + e)                                 # sigmoid(-a)
    hi = F(1) - lo                                      # sigmoid(a), exact subtraction (lo <= 1/2)
    t = np.where(x < 0, lo, hi)
    g = lo * hi
    return t.astype(np.float32), g.astype(np.float32)


def ulps(a, b):
    ia = a.view(np.int32).astype(np.int64)
    ib = b.view(np.int32).astype(np.int64)
    ia = np.where(ia < 0, -(ia & 0x7FFFFFFF), ia)
    ib = np.where(ib < 0, -(ib & 0x7FFFFFFF), ib)
    return np.abs(ia - ib)


def sweep(lo, hi, step):
    lo, hi = int(np.float32(lo).view(np.int32)), int(np.float32(hi).view(np.int32))
    for start in range(lo, hi, step << 22):
        yield np.arange(start, min(start + (step << 22), hi), step, dtype=np.int32).view(np.float32)


def report(name, x, got, ref, acc):
    u = ulps(got, ref)
    i = int(u.argmax())
    if u[i] >= acc.get(name, (-1, 0))[0]:
        acc[name] = (int(u[i]), float(x[i]))


def check(he, qt, step):
    acc = {}
    for x in sweep(2.0 ** -14, 46, step):
        t, g = emulate_tanh(x, he, qt)
        xd = x.astype(np.float64)
        report('tanh', x, t, np.tanh(xd).astype(np.float32), acc)
        report("tanh' (|x| < 44)", x[x < 44], g[x < 44], (1 / np.cosh(xd[x < 44]) ** 2).astype(np.float32), acc)
    for sign in (1, -1):
        for x in sweep(2.0 ** -26, 110, step):
            x = (x * sign).astype(np.float32)
            t, g = emulate_sigmoid(x, he)
            xd = x.astype(np.float64)
            e = np.exp(-np.abs(xd))
            report('sigmoid', x, t, np.where(xd >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float32), acc)
            report("sigmoid'", x, g, (e / (1 + e) ** 2).astype(np.float32), acc)
    for name, (u, at) in acc.items():
        print(f'emulated {name}: max {u} ulp (at {at!r})')


def main():
    he, ee = fit_exp()
    qt, et = fit_tanh()
    print(f'expm1 on |r| <= ln2/2: H degree {EXP_DEG}, max relative error {ee:.3g} (float32 eps/2 = {2.0**-24:.3g})')
    print('  H =', ', '.join(repr(float(np.float32(c))) for c in he))
    print(f'tanh on |x| < {TANH_CUT}: Q degree {TANH_DEG}, max relative error {et:.3g}')
    print('  Q =', ', '.join(repr(float(np.float32(c))) for c in qt))
    if '--check' in sys.argv:
        step = int(sys.argv[sys.argv.index('--check') + 1]) if len(sys.argv) > sys.argv.index('--check') + 1 else 1
        check(he, qt, step)


if __name__ == '__main__':
    main()

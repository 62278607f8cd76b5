;; WebAssembly SIMD float32 kernels for rnn-lyap (source of src/core/wasm/f32-wasm.ts).
;; Regenerate the embedded bytes after editing: `node scripts/build-wasm.mjs`.
;;
;; Unlike gemm.wat (float64 accumulation, bit-identical to the JS kernel), these kernels compute as
;; PyTorch's CPU kernels do: products and sums in float32 (f32x4, separate multiply and add, so the
;; result is the same on every engine). The caller keeps its operands in this module's memory and
;; pads them: every leading dimension, n and every row block is a multiple of 4 floats and every
;; address 16-byte aligned, so the kernels need no edge cases. All addresses are byte offsets.
;;
;; The activations compute in float32 lanes too: tanh within 1 ulp and σ within 2 ulp of the
;; correctly rounded value over the whole float32 range (tested; see `act`). The gated cells'
;; element-wise kernels (lstmfwd, grufwd, lstmbwd, grubwd, at the end) call `act` itself.
(module
  (memory (export "mem") 1)

  ;; gemm: C = [C +] op(A)·B for an m×k op(A) with op(A)[i,p] = f32 at a + 4·(i·ra + p·ca), B k×n
  ;; row-major (leading dimension ldb), C m×n row-major (ldc); beta ≠ 0 adds to C (the sum starts
  ;; from C), beta = 0 overwrites it. m and n multiples of 4; each C entry is accumulated in order
  ;; p = 0..k-1 in float32. Register block 4×8 (eight f32x4 accumulators), a 4×4 tail when n % 8 = 4.
  ;; ldb ≥ 1: the p loops end when B's pointer reaches its end (no counter: fewer instructions per
  ;; step, which V8 otherwise spills); A is broadcast straight from memory (v128.load32_splat).
  (func (export "gemm")
    (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $ra i32) (param $ca i32)
    (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $beta i32)
    (local $i i32) (local $j i32) (local $pend i32) (local $ra4 i32) (local $sa i32) (local $sb i32) (local $sc i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $pb i32) (local $pc i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $ra4 (i32.shl (local.get $ra) (i32.const 2)))
    (local.set $sa (i32.shl (local.get $ca) (i32.const 2)))
    (local.set $sb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $sc (i32.shl (local.get $ldc) (i32.const 2)))
    (if (i32.le_s (local.get $k) (i32.const 0)) (then (return)))
    (local.set $i (i32.const 0))
    (block $idone
      (loop $iloop
        (br_if $idone (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jloop
            (br_if $jdone (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ra4))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $ra4)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $ra4)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $ra4)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $sc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $beta)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c01 (v128.load offset=16 (local.get $pc)))
                (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $sc))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $sc))))
                (local.set $c20 (v128.load (i32.add (local.get $pc) (i32.shl (local.get $sc) (i32.const 1)))))
                (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (i32.shl (local.get $sc) (i32.const 1)))))
                (local.set $c30 (v128.load (i32.add (local.get $pc) (i32.mul (local.get $sc) (i32.const 3)))))
                (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $sc) (i32.const 3))))))
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))))
            (local.set $pend (i32.add (local.get $pb) (i32.mul (local.get $k) (local.get $sb))))
            (loop $ploop
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (v128.load32_splat (local.get $a0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a2)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat (local.get $a3)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $a0 (i32.add (local.get $a0) (local.get $sa)))
              (local.set $a1 (i32.add (local.get $a1) (local.get $sa)))
              (local.set $a2 (i32.add (local.get $a2) (local.get $sa)))
              (local.set $a3 (i32.add (local.get $a3) (local.get $sa)))
              (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
              (br_if $ploop (i32.ne (local.get $pb) (local.get $pend))))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c10))
            (v128.store offset=16 (local.get $pc) (local.get $c11))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c20))
            (v128.store offset=16 (local.get $pc) (local.get $c21))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c30))
            (v128.store offset=16 (local.get $pc) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $jloop)))
        ;; 4×4 tail
        (if (i32.lt_s (local.get $j) (local.get $n))
          (then
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ra4))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $ra4)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $ra4)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $ra4)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $sc)))
              (i32.shl (local.get $j) (i32.const 2))))
            (if (local.get $beta)
              (then
                (local.set $c00 (v128.load (local.get $pc)))
                (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $sc))))
                (local.set $c20 (v128.load (i32.add (local.get $pc) (i32.shl (local.get $sc) (i32.const 1)))))
                (local.set $c30 (v128.load (i32.add (local.get $pc) (i32.mul (local.get $sc) (i32.const 3))))))
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c10 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c30 (v128.const i32x4 0 0 0 0))))
            (local.set $pend (i32.add (local.get $pb) (i32.mul (local.get $k) (local.get $sb))))
            (loop $ptail
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (v128.load32_splat (local.get $a0)) (local.get $b0))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (v128.load32_splat (local.get $a1)) (local.get $b0))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (v128.load32_splat (local.get $a2)) (local.get $b0))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (v128.load32_splat (local.get $a3)) (local.get $b0))))
              (local.set $a0 (i32.add (local.get $a0) (local.get $sa)))
              (local.set $a1 (i32.add (local.get $a1) (local.get $sa)))
              (local.set $a2 (i32.add (local.get $a2) (local.get $sa)))
              (local.set $a3 (i32.add (local.get $a3) (local.get $sa)))
              (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
              (br_if $ptail (i32.ne (local.get $pb) (local.get $pend))))
            (v128.store (local.get $pc) (local.get $c00))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c10))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c20))
            (local.set $pc (i32.add (local.get $pc) (local.get $sc)))
            (v128.store (local.get $pc) (local.get $c30))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $iloop))))

  ;; rows: dst[r, :] = src[0, :] for r < rows (row length n, a multiple of 4; leading dimension ld).
  (func (export "rows") (param $dst i32) (param $rows i32) (param $n i32) (param $ld i32) (param $src i32)
    (local $r i32) (local $j i32) (local $d i32)
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $r) (local.get $ld)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_s (local.get $j) (local.get $n)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2)))
              (v128.load (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; colsum: acc[j] += Σ_r src[r, j] (float32, rows in order), row length n (multiple of 4), ld.
  (func (export "colsum") (param $src i32) (param $rows i32) (param $n i32) (param $ld i32) (param $acc i32)
    (local $r i32) (local $j i32) (local $s i32)
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $ld)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_s (local.get $j) (local.get $n)))
            (v128.store (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 2)))
              (f32x4.add (v128.load (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 2))))
                (v128.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $jl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; addmul: x[i] = (x[i] + y[i])·d[i] (y = 0: x[i]·d[i]) for i < n (n a multiple of 4).
  (func (export "addmul") (param $x i32) (param $y i32) (param $d i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $x)
          (f32x4.mul
            (if (result v128) (local.get $y)
              (then (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $y))))
              (else (v128.load (local.get $x))))
            (v128.load (local.get $d))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (if (local.get $y) (then (local.set $y (i32.add (local.get $y) (i32.const 16)))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $l))))

;; act: in place over n floats at x (n a multiple of 4): x ← φ(x), and when d ≠ 0, d ← φ'(x_old);
  ;; kind 0 = tanh, 1 = sigmoid. Four floats at a time in float32 lanes (f32x4), one division per
  ;; four. Accuracy against the correctly rounded float32 value, over every float32 (tested in
  ;; test/core/wasm/f32-kernels.test.ts; scripts/fit-act.py fits the coefficients and emulates this
  ;; kernel): tanh within 1 ulp, tanh' within 3 ulp (0 for |x| ≥ 44, where its true value is below
  ;; 2.5e-38); σ within 2 ulp, σ' within 3 ulp, subnormal results included. NaN propagates,
  ;; tanh(±0) = ±0, tanh(±∞) = ±1, σ(+∞) = 1, σ(−∞) = 0.
  ;;
  ;; e^y by y = k·ln2 + r: k = round(y·log2 e) (adding MAGIC rounds to an integer and leaves k in the
  ;; low bits, from which 2^k is built in the exponent field), r by Cody–Waite with ln2 in two parts
  ;; (the first product and subtraction exact), expm1(r) = r + r²·H(r), H a degree-4 minimax fit.
  ;; tanh, a = min(|x|, 44): for a < 0.75 the odd polynomial a + a·s·Q(s), s = a² (Q of degree 5,
  ;;   minimax), tanh' = 1 − tanh²; else q = 4/(e^{2a} + 1) = 4/(2^k·p + (2^k + 1)) (one rounding in
  ;;   the denominator), tanh a = 1 − q/2, tanh' = q·(1 − q/4). The sign is copied from x.
  ;; σ, a = min(|x|, 104) (σ(−104) rounds to 0): e = e^{−a} with 2^−k applied in two halves, so that
  ;;   a subnormal result rounds once; lo = e/(1 + e) = σ(−a), hi = 1 − lo = σ(a) (exact: lo ≤ 1/2),
  ;;   σ' = lo·hi.
  ;; The constants are mutable globals (never written) so that the engine loads them, where it would
  ;; rebuild every v128.const inside the loop (V8: three instructions each).
  (global $ABS (mut v128) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))  ;; |x| mask
  (global $ONE (mut v128) (v128.const f32x4 1 1 1 1))
  (global $MAGIC (mut v128) (v128.const f32x4 12582912 12582912 12582912 12582912))  ;; 1.5·2^23: x + MAGIC − MAGIC rounds x to an integer
  (global $LOG2E (mut v128) (v128.const f32x4 1.4426950216293335 1.4426950216293335 1.4426950216293335 1.4426950216293335))
  (global $LN2HI (mut v128) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))  ;; ln 2 to 15 bits: k·LN2HI is exact for k < 512
  (global $LN2LO (mut v128) (v128.const f32x4 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06 1.428606765330187e-06))  ;; ln 2 − LN2HI
  (global $H0 (mut v128) (v128.const f32x4 0.4999999701976776 0.4999999701976776 0.4999999701976776 0.4999999701976776))  ;; expm1(r) = r + r²·(H0 + H1 r + … + H4 r⁴), |r| ≤ ln2/2
  (global $H1 (mut v128) (v128.const f32x4 0.1666654348373413 0.1666654348373413 0.1666654348373413 0.1666654348373413))
  (global $H2 (mut v128) (v128.const f32x4 0.04166720062494278 0.04166720062494278 0.04166720062494278 0.04166720062494278))
  (global $H3 (mut v128) (v128.const f32x4 0.00836651399731636 0.00836651399731636 0.00836651399731636 0.00836651399731636))
  (global $H4 (mut v128) (v128.const f32x4 0.0013882522471249104 0.0013882522471249104 0.0013882522471249104 0.0013882522471249104))
  (global $Q0 (mut v128) (v128.const f32x4 -0.33333316445350647 -0.33333316445350647 -0.33333316445350647 -0.33333316445350647))  ;; tanh x = x + x·s·(Q0 + Q1 s + … + Q5 s⁵), s = x², |x| < 0.75
  (global $Q1 (mut v128) (v128.const f32x4 0.1333269476890564 0.1333269476890564 0.1333269476890564 0.1333269476890564))
  (global $Q2 (mut v128) (v128.const f32x4 -0.053892724215984344 -0.053892724215984344 -0.053892724215984344 -0.053892724215984344))
  (global $Q3 (mut v128) (v128.const f32x4 0.021452033892273903 0.021452033892273903 0.021452033892273903 0.021452033892273903))
  (global $Q4 (mut v128) (v128.const f32x4 -0.007657255511730909 -0.007657255511730909 -0.007657255511730909 -0.007657255511730909))
  (global $Q5 (mut v128) (v128.const f32x4 0.0017369358101859689 0.0017369358101859689 0.0017369358101859689 0.0017369358101859689))
  (global $C104 (mut v128) (v128.const f32x4 104 104 104 104))
  (global $C44 (mut v128) (v128.const f32x4 44 44 44 44))
  (global $FOUR (mut v128) (v128.const f32x4 4 4 4 4))
  (global $HALF (mut v128) (v128.const f32x4 0.5 0.5 0.5 0.5))
  (global $QUARTER (mut v128) (v128.const f32x4 0.25 0.25 0.25 0.25))
  (global $CUT (mut v128) (v128.const f32x4 0.75 0.75 0.75 0.75))
  (global $I127 (mut v128) (v128.const i32x4 127 127 127 127))
  (global $IMAGIC (mut v128) (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000))  ;; the bits of MAGIC
  (func $act (export "act") (param $kind i32) (param $x i32) (param $n i32) (param $d i32)
    (local $end i32) (local $v v128) (local $ab v128) (local $a v128) (local $y v128) (local $T v128)
    (local $kf v128) (local $r v128) (local $r2 v128) (local $p v128) (local $s v128) (local $q v128)
    (local $u v128) (local $u2 v128) (local $ts v128) (local $small v128) (local $k v128) (local $k1 v128)
    (local $e v128) (local $lo v128) (local $hi v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (if (local.get $kind)
      (then
        (block $sdone
          (loop $sl
            (br_if $sdone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $v (v128.load (local.get $x)))
            ;; a = min(|x|, 104) (pmin keeps a NaN), e^−a = 2^−k·e^r with r = k·ln2 − a
            (local.set $a (f32x4.pmin (v128.and (local.get $v) (global.get $ABS)) (global.get $C104)))
            (local.set $T (f32x4.add (f32x4.mul (local.get $a) (global.get $LOG2E)) (global.get $MAGIC)))
            (local.set $kf (f32x4.sub (local.get $T) (global.get $MAGIC)))
            (local.set $r (f32x4.add (f32x4.sub (f32x4.mul (local.get $kf) (global.get $LN2HI)) (local.get $a))
              (f32x4.mul (local.get $kf) (global.get $LN2LO))))
            ;; p = expm1(r), the polynomial by Estrin's scheme (a shorter dependency chain than Horner's)
            (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
            (local.set $p (f32x4.add (local.get $r) (f32x4.mul (local.get $r2)
              (f32x4.add (f32x4.add (global.get $H0) (f32x4.mul (global.get $H1) (local.get $r)))
                (f32x4.mul (local.get $r2) (f32x4.add (f32x4.add (global.get $H2) (f32x4.mul (global.get $H3) (local.get $r)))
                  (f32x4.mul (local.get $r2) (global.get $H4))))))))
            ;; 2^−k = 2^−k1 · 2^−(k−k1), k1 = floor(k/2), both normal floats for k ≤ 150
            (local.set $k (i32x4.sub (local.get $T) (global.get $IMAGIC)))
            (local.set $k1 (i32x4.shr_u (local.get $k) (i32.const 1)))
            (local.set $e (f32x4.mul (f32x4.mul (f32x4.add (global.get $ONE) (local.get $p))
                (i32x4.shl (i32x4.sub (global.get $I127) (local.get $k1)) (i32.const 23)))
              (i32x4.shl (i32x4.sub (i32x4.add (global.get $I127) (local.get $k1)) (local.get $k)) (i32.const 23))))
            (local.set $lo (f32x4.div (local.get $e) (f32x4.add (global.get $ONE) (local.get $e))))
            (local.set $hi (f32x4.sub (global.get $ONE) (local.get $lo)))
            (v128.store (local.get $x) (v128.bitselect (local.get $lo) (local.get $hi)
              (f32x4.lt (local.get $v) (v128.const i32x4 0 0 0 0))))
            (if (local.get $d)
              (then
                (v128.store (local.get $d) (f32x4.mul (local.get $lo) (local.get $hi)))
                (local.set $d (i32.add (local.get $d) (i32.const 16)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $sl))))
      (else
        (block $tdone
          (loop $tl
            (br_if $tdone (i32.ge_u (local.get $x) (local.get $end)))
            (local.set $v (v128.load (local.get $x)))
            ;; a = min(|x|, 44) (pmin keeps a NaN), y = 2a = k·ln2 + r
            (local.set $ab (v128.and (local.get $v) (global.get $ABS)))
            (local.set $a (f32x4.pmin (local.get $ab) (global.get $C44)))
            (local.set $y (f32x4.add (local.get $a) (local.get $a)))
            (local.set $T (f32x4.add (f32x4.mul (local.get $y) (global.get $LOG2E)) (global.get $MAGIC)))
            (local.set $kf (f32x4.sub (local.get $T) (global.get $MAGIC)))
            (local.set $r (f32x4.sub (f32x4.sub (local.get $y) (f32x4.mul (local.get $kf) (global.get $LN2HI)))
              (f32x4.mul (local.get $kf) (global.get $LN2LO))))
            ;; p = expm1(r), the polynomial by Estrin's scheme (a shorter dependency chain than Horner's)
            (local.set $r2 (f32x4.mul (local.get $r) (local.get $r)))
            (local.set $p (f32x4.add (local.get $r) (f32x4.mul (local.get $r2)
              (f32x4.add (f32x4.add (global.get $H0) (f32x4.mul (global.get $H1) (local.get $r)))
                (f32x4.mul (local.get $r2) (f32x4.add (f32x4.add (global.get $H2) (f32x4.mul (global.get $H3) (local.get $r)))
                  (f32x4.mul (local.get $r2) (global.get $H4))))))))
            ;; s = 2^k (k ≤ 127), q = 4/(e^y + 1) = 4/(s·p + (s + 1))
            (local.set $s (i32x4.shl (i32x4.add (local.get $T) (global.get $I127)) (i32.const 23)))
            (local.set $q (f32x4.div (global.get $FOUR) (f32x4.add (f32x4.mul (local.get $s) (local.get $p))
              (f32x4.add (local.get $s) (global.get $ONE)))))
            ;; a < 0.75: ts = a + a·u·Q(u), u = a² (Estrin's scheme)
            (local.set $u (f32x4.mul (local.get $a) (local.get $a)))
            (local.set $u2 (f32x4.mul (local.get $u) (local.get $u)))
            (local.set $ts (f32x4.add (local.get $a) (f32x4.mul (f32x4.mul (local.get $a) (local.get $u))
              (f32x4.add (f32x4.add (global.get $Q0) (f32x4.mul (global.get $Q1) (local.get $u)))
                (f32x4.mul (local.get $u2) (f32x4.add (f32x4.add (global.get $Q2) (f32x4.mul (global.get $Q3) (local.get $u)))
                  (f32x4.mul (local.get $u2) (f32x4.add (global.get $Q4) (f32x4.mul (global.get $Q5) (local.get $u))))))))))
            (local.set $small (f32x4.lt (local.get $a) (global.get $CUT)))
            (v128.store (local.get $x) (v128.or
              (v128.bitselect (local.get $ts) (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $q) (global.get $HALF))) (local.get $small))
              (v128.andnot (local.get $v) (global.get $ABS))))
            (if (local.get $d)
              (then
                (v128.store (local.get $d) (v128.andnot
                  (v128.bitselect
                    (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $ts) (local.get $ts)))
                    (f32x4.mul (local.get $q) (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $q) (global.get $QUARTER))))
                    (local.get $small))
                  (f32x4.ge (local.get $ab) (global.get $C44))))
                (local.set $d (i32.add (local.get $d) (i32.const 16)))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $tl))))))

  ;; The gated cells' element-wise steps (src/rnn/gated/fast.ts), over `rows` batch rows of hp floats
  ;; per gate (hp a multiple of 4): gate blocks row-major [rows, G·hp] (G = 4 for an LSTM, gate order
  ;; i, f, g, o; 3 for a GRU, r, z, n), the other operands [rows, hp]. The activations are `act`'s (the
  ;; same code, so the same bits); products and sums in float32 lanes, in the order written.

  ;; lstmfwd: one LSTM step. g holds the pre-activations and gets the gates (σ i, σ f, tanh g, σ o);
  ;; cn = f⊙cp + i⊙g, tc = tanh(cn), hn = o⊙tc.
  (func (export "lstmfwd") (param $g i32) (param $cp i32) (param $cn i32) (param $tc i32) (param $hn i32)
    (param $rows i32) (param $hp i32)
    (local $r i32) (local $o i32) (local $w i32) (local $c v128)
    (local.set $w (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (call $act (i32.const 1) (local.get $g) (i32.shl (local.get $hp) (i32.const 1)) (i32.const 0))
        (call $act (i32.const 0) (i32.add (local.get $g) (i32.shl (local.get $w) (i32.const 1))) (local.get $hp) (i32.const 0))
        (call $act (i32.const 1) (i32.add (local.get $g) (i32.mul (local.get $w) (i32.const 3))) (local.get $hp) (i32.const 0))
        (local.set $o (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_u (local.get $o) (local.get $w)))
            (local.set $c (f32x4.add
              (f32x4.mul (v128.load (i32.add (i32.add (local.get $g) (local.get $w)) (local.get $o)))
                (v128.load (i32.add (local.get $cp) (local.get $o))))
              (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $o)))
                (v128.load (i32.add (i32.add (local.get $g) (i32.shl (local.get $w) (i32.const 1))) (local.get $o))))))
            (v128.store (i32.add (local.get $cn) (local.get $o)) (local.get $c))
            (v128.store (i32.add (local.get $tc) (local.get $o)) (local.get $c))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $jl)))
        (call $act (i32.const 0) (local.get $tc) (local.get $hp) (i32.const 0))
        (local.set $o (i32.const 0))
        (block $hd
          (loop $hl
            (br_if $hd (i32.ge_u (local.get $o) (local.get $w)))
            (v128.store (i32.add (local.get $hn) (local.get $o))
              (f32x4.mul (v128.load (i32.add (i32.add (local.get $g) (i32.mul (local.get $w) (i32.const 3))) (local.get $o)))
                (v128.load (i32.add (local.get $tc) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $hl)))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $cp (i32.add (local.get $cp) (local.get $w)))
        (local.set $cn (i32.add (local.get $cn) (local.get $w)))
        (local.set $tc (i32.add (local.get $tc) (local.get $w)))
        (local.set $hn (i32.add (local.get $hn) (local.get $w)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; grufwd: one GRU step. gx: input projections + b_ih, gh: W_hh·h + b_hh (both [rows, 3hp]); g gets
  ;; r = σ(gx_r + gh_r), z = σ(gx_z + gh_z), n = tanh(gx_n + r⊙gh_n); ghn = gh_n (kept for BPTT);
  ;; hn = (1 − z)⊙n + z⊙hp0 (hp0 the previous state).
  (func (export "grufwd") (param $gx i32) (param $gh i32) (param $g i32) (param $ghn i32) (param $h0 i32)
    (param $hn i32) (param $rows i32) (param $hp i32)
    (local $r i32) (local $o i32) (local $w i32) (local $w2 i32) (local $v v128) (local $z v128)
    (local.set $w (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $w2 (i32.shl (local.get $w) (i32.const 1)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $o (i32.const 0))
        (block $ad
          (loop $al
            (br_if $ad (i32.ge_u (local.get $o) (local.get $w2)))
            (v128.store (i32.add (local.get $g) (local.get $o))
              (f32x4.add (v128.load (i32.add (local.get $gx) (local.get $o))) (v128.load (i32.add (local.get $gh) (local.get $o)))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $al)))
        (call $act (i32.const 1) (local.get $g) (i32.shl (local.get $hp) (i32.const 1)) (i32.const 0))
        (local.set $o (i32.const 0))
        (block $nd
          (loop $nl
            (br_if $nd (i32.ge_u (local.get $o) (local.get $w)))
            (local.set $v (v128.load (i32.add (i32.add (local.get $gh) (local.get $w2)) (local.get $o))))
            (v128.store (i32.add (local.get $ghn) (local.get $o)) (local.get $v))
            (v128.store (i32.add (i32.add (local.get $g) (local.get $w2)) (local.get $o))
              (f32x4.add (v128.load (i32.add (i32.add (local.get $gx) (local.get $w2)) (local.get $o)))
                (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $o))) (local.get $v))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $nl)))
        (call $act (i32.const 0) (i32.add (local.get $g) (local.get $w2)) (local.get $hp) (i32.const 0))
        (local.set $o (i32.const 0))
        (block $hd
          (loop $hl
            (br_if $hd (i32.ge_u (local.get $o) (local.get $w)))
            (local.set $z (v128.load (i32.add (i32.add (local.get $g) (local.get $w)) (local.get $o))))
            (v128.store (i32.add (local.get $hn) (local.get $o))
              (f32x4.add
                (f32x4.mul (f32x4.sub (global.get $ONE) (local.get $z)) (v128.load (i32.add (i32.add (local.get $g) (local.get $w2)) (local.get $o))))
                (f32x4.mul (local.get $z) (v128.load (i32.add (local.get $h0) (local.get $o))))))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $hl)))
        (local.set $gx (i32.add (local.get $gx) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $gh (i32.add (local.get $gh) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $g (i32.add (local.get $g) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $ghn (i32.add (local.get $ghn) (local.get $w)))
        (local.set $h0 (i32.add (local.get $h0) (local.get $w)))
        (local.set $hn (i32.add (local.get $hn) (local.get $w)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; lstmbwd: the BPTT of one LSTM step. dh = ds + carry, dc = cc + dh⊙o⊙(1 − tc²); da gets dL/d(pre-
  ;; activation) of i, f, g, o: dc⊙g⊙i⊙(1 − i), dc⊙cp⊙f⊙(1 − f), dc⊙i⊙(1 − g²), dh⊙tc⊙o⊙(1 − o); cc ← dc⊙f.
  (func (export "lstmbwd") (param $g i32) (param $ds i32) (param $carry i32) (param $cc i32) (param $cp i32)
    (param $tc i32) (param $da i32) (param $rows i32) (param $hp i32)
    (local $r i32) (local $o i32) (local $w i32) (local $pg i32) (local $pd i32)
    (local $dh v128) (local $dc v128) (local $i v128) (local $f v128) (local $gg v128) (local $og v128) (local $th v128)
    (local.set $w (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $o (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_u (local.get $o) (local.get $w)))
            (local.set $pg (i32.add (local.get $g) (local.get $o)))
            (local.set $pd (i32.add (local.get $da) (local.get $o)))
            (local.set $dh (f32x4.add (v128.load (i32.add (local.get $ds) (local.get $o))) (v128.load (i32.add (local.get $carry) (local.get $o)))))
            (local.set $i (v128.load (local.get $pg)))
            (local.set $f (v128.load (i32.add (local.get $pg) (local.get $w))))
            (local.set $gg (v128.load (i32.add (local.get $pg) (i32.shl (local.get $w) (i32.const 1)))))
            (local.set $og (v128.load (i32.add (local.get $pg) (i32.mul (local.get $w) (i32.const 3)))))
            (local.set $th (v128.load (i32.add (local.get $tc) (local.get $o))))
            (local.set $dc (f32x4.add (v128.load (i32.add (local.get $cc) (local.get $o)))
              (f32x4.mul (f32x4.mul (local.get $dh) (local.get $og)) (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $th) (local.get $th))))))
            (v128.store (local.get $pd)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (local.get $gg)) (local.get $i)) (f32x4.sub (global.get $ONE) (local.get $i))))
            (v128.store (i32.add (local.get $pd) (local.get $w))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dc) (v128.load (i32.add (local.get $cp) (local.get $o)))) (local.get $f))
                (f32x4.sub (global.get $ONE) (local.get $f))))
            (v128.store (i32.add (local.get $pd) (i32.shl (local.get $w) (i32.const 1)))
              (f32x4.mul (f32x4.mul (local.get $dc) (local.get $i)) (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $gg) (local.get $gg)))))
            (v128.store (i32.add (local.get $pd) (i32.mul (local.get $w) (i32.const 3)))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh) (local.get $th)) (local.get $og)) (f32x4.sub (global.get $ONE) (local.get $og))))
            (v128.store (i32.add (local.get $cc) (local.get $o)) (f32x4.mul (local.get $dc) (local.get $f)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $jl)))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $da (i32.add (local.get $da) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $ds (i32.add (local.get $ds) (local.get $w)))
        (local.set $carry (i32.add (local.get $carry) (local.get $w)))
        (local.set $cc (i32.add (local.get $cc) (local.get $w)))
        (local.set $cp (i32.add (local.get $cp) (local.get $w)))
        (local.set $tc (i32.add (local.get $tc) (local.get $w)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; grubwd: the BPTT of one GRU step. dh = ds + carry; dan = dh⊙(1 − z)⊙(1 − n²), dar = dan⊙ghn⊙r⊙(1 − r),
  ;; daz = dh⊙(h0 − n)⊙z⊙(1 − z) (h0 the previous state); dx ← [dar, daz, dan] (the input side),
  ;; dr ← [dar, daz, dan⊙r] (the recurrent side), carry ← dh⊙z (the caller adds dr·W_hh).
  (func (export "grubwd") (param $g i32) (param $ds i32) (param $carry i32) (param $ghn i32) (param $h0 i32)
    (param $dx i32) (param $dr i32) (param $rows i32) (param $hp i32)
    (local $r i32) (local $o i32) (local $w i32) (local $w2 i32) (local $pg i32)
    (local $dh v128) (local $rg v128) (local $z v128) (local $n v128) (local $dan v128) (local $dar v128) (local $daz v128)
    (local.set $w (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $w2 (i32.shl (local.get $w) (i32.const 1)))
    (local.set $r (i32.const 0))
    (block $done
      (loop $rl
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $o (i32.const 0))
        (block $jd
          (loop $jl
            (br_if $jd (i32.ge_u (local.get $o) (local.get $w)))
            (local.set $pg (i32.add (local.get $g) (local.get $o)))
            (local.set $dh (f32x4.add (v128.load (i32.add (local.get $ds) (local.get $o))) (v128.load (i32.add (local.get $carry) (local.get $o)))))
            (local.set $rg (v128.load (local.get $pg)))
            (local.set $z (v128.load (i32.add (local.get $pg) (local.get $w))))
            (local.set $n (v128.load (i32.add (local.get $pg) (local.get $w2))))
            (local.set $dan (f32x4.mul (f32x4.mul (local.get $dh) (f32x4.sub (global.get $ONE) (local.get $z)))
              (f32x4.sub (global.get $ONE) (f32x4.mul (local.get $n) (local.get $n)))))
            (local.set $dar (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dan) (v128.load (i32.add (local.get $ghn) (local.get $o)))) (local.get $rg))
              (f32x4.sub (global.get $ONE) (local.get $rg))))
            (local.set $daz (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dh)
                (f32x4.sub (v128.load (i32.add (local.get $h0) (local.get $o))) (local.get $n))) (local.get $z))
              (f32x4.sub (global.get $ONE) (local.get $z))))
            (v128.store (i32.add (local.get $dx) (local.get $o)) (local.get $dar))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $w)) (local.get $o)) (local.get $daz))
            (v128.store (i32.add (i32.add (local.get $dx) (local.get $w2)) (local.get $o)) (local.get $dan))
            (v128.store (i32.add (local.get $dr) (local.get $o)) (local.get $dar))
            (v128.store (i32.add (i32.add (local.get $dr) (local.get $w)) (local.get $o)) (local.get $daz))
            (v128.store (i32.add (i32.add (local.get $dr) (local.get $w2)) (local.get $o)) (f32x4.mul (local.get $dan) (local.get $rg)))
            (v128.store (i32.add (local.get $carry) (local.get $o)) (f32x4.mul (local.get $dh) (local.get $z)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $jl)))
        (local.set $g (i32.add (local.get $g) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $dx (i32.add (local.get $dx) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $dr (i32.add (local.get $dr) (i32.mul (local.get $w) (i32.const 3))))
        (local.set $ds (i32.add (local.get $ds) (local.get $w)))
        (local.set $carry (i32.add (local.get $carry) (local.get $w)))
        (local.set $ghn (i32.add (local.get $ghn) (local.get $w)))
        (local.set $h0 (i32.add (local.get $h0) (local.get $w)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))
)

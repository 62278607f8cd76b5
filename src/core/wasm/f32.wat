;; WebAssembly SIMD float32 kernels for rnn-lyap (source of src/core/wasm/f32-wasm.ts).
;; Regenerate the embedded bytes after editing: `node scripts/build-wasm.mjs`.
;;
;; Unlike gemm.wat (float64 accumulation, bit-identical to the JS kernel), these kernels compute as
;; PyTorch's CPU kernels do: products and sums in float32 (f32x4, separate multiply and add, so the
;; result is the same on every engine). The caller keeps its operands in this module's memory and
;; pads them: every leading dimension, n and every row block is a multiple of 4 floats and every
;; address 16-byte aligned, so the kernels need no edge cases. All addresses are byte offsets.
;;
;; The activations compute in float64 lanes (f64x2) and round once to float32: tanh and σ are within
;; 1 ulp of the correctly rounded float32 value over the whole float32 range (tested).
(module
  (memory (export "mem") 1)

  ;; gemm: C = [C +] op(A)·B for an m×k op(A) with op(A)[i,p] = f32 at a + 4·(i·ra + p·ca), B k×n
  ;; row-major (leading dimension ldb), C m×n row-major (ldc); beta ≠ 0 adds to C (the sum starts
  ;; from C), beta = 0 overwrites it. m and n multiples of 4; each C entry is accumulated in order
  ;; p = 0..k-1 in float32. Register block 4×8 (eight f32x4 accumulators), a 4×4 tail when n % 8 = 4.
  (func (export "gemm")
    (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $ra i32) (param $ca i32)
    (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $beta i32)
    (local $i i32) (local $j i32) (local $p i32) (local $ra4 i32) (local $sa i32) (local $sb i32) (local $sc i32)
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
            (local.set $p (local.get $k))
            (loop $ploop
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $x (f32x4.splat (f32.load (local.get $a0))))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (f32x4.splat (f32.load (local.get $a1))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (f32x4.splat (f32.load (local.get $a2))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (f32x4.splat (f32.load (local.get $a3))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $a0 (i32.add (local.get $a0) (local.get $sa)))
              (local.set $a1 (i32.add (local.get $a1) (local.get $sa)))
              (local.set $a2 (i32.add (local.get $a2) (local.get $sa)))
              (local.set $a3 (i32.add (local.get $a3) (local.get $sa)))
              (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $ploop (local.get $p)))
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
            (local.set $p (local.get $k))
            (loop $ptail
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (f32x4.splat (f32.load (local.get $a0))) (local.get $b0))))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (f32x4.splat (f32.load (local.get $a1))) (local.get $b0))))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (f32x4.splat (f32.load (local.get $a2))) (local.get $b0))))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (f32x4.splat (f32.load (local.get $a3))) (local.get $b0))))
              (local.set $a0 (i32.add (local.get $a0) (local.get $sa)))
              (local.set $a1 (i32.add (local.get $a1) (local.get $sa)))
              (local.set $a2 (i32.add (local.get $a2) (local.get $sa)))
              (local.set $a3 (i32.add (local.get $a3) (local.get $sa)))
              (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br_if $ptail (local.get $p)))
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
  ;; kind 0 = tanh, 1 = sigmoid. Two floats at a time in float64 lanes, rounded once to float32
  ;; (1.7× faster than the earlier Horner form; 1 in 10^6 float32 inputs of a sweep rounds differently).
  ;;
  ;; e^y for y ≤ 0 (NaN propagates), inline: y = k·ln2 + r, |r| ≤ ln2/2, expm1(r) by its Taylor
  ;; series to degree 9 (remainder below 3e-11 relative, far under float32's 6e-8), evaluated by
  ;; Estrin's scheme, e^y − 1 = 2^k·expm1(r) + (2^k − 1), e^y = 2^k·(1 +
  ;; expm1(r)), each with a relative error of a few float64 ulp (k in [-174, 0] after the clamps;
  ;; NaN gives k = 0).
  ;; tanh from e = e^{−2|a|} (|a| clamped at 60, where tanh rounds to 1 and sech² underflows):
  ;; tanh|a| = −(e−1)/(2+(e−1)), sech² a = 4e/(2+(e−1))², sign restored from a.
  ;; σ from e = e^{−|a|} (|a| clamped at 120): σ = 1/(1+e) for a ≥ 0, e/(1+e) for a < 0; σ' = e/(1+e)².
  (func (export "act") (param $kind i32) (param $x i32) (param $n i32) (param $d i32)
    (local $end i32) (local $a v128) (local $y v128) (local $kf v128) (local $r v128) (local $p v128)
    (local $s v128) (local $em1 v128) (local $e v128) (local $q v128) (local $t v128) (local $g v128)
    (local $r2 v128) (local $r4 v128) (local $b0 v128) (local $b1 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $a (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
        (if (local.get $kind)
          (then (local.set $y (f64x2.neg (f64x2.min (f64x2.abs (local.get $a)) (v128.const f64x2 120 120)))))
          (else (local.set $y (f64x2.mul (f64x2.min (f64x2.abs (local.get $a)) (v128.const f64x2 60 60)) (v128.const f64x2 -2 -2)))))
        (local.set $kf (f64x2.nearest (f64x2.mul (local.get $y) (v128.const f64x2 1.4426950408889634 1.4426950408889634))))
        (local.set $r (f64x2.sub (f64x2.sub (local.get $y)
          (f64x2.mul (local.get $kf) (v128.const f64x2 0.6931471803691238 0.6931471803691238)))
          (f64x2.mul (local.get $kf) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
        ;; P(r) = Σ_{n=0..8} r^n/(n+1)! by Estrin's scheme (dependency depth 8 instead of Horner's 18)
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
        (local.set $b0 (f64x2.add (f64x2.add (v128.const f64x2 1.0 1.0) (f64x2.mul (local.get $r) (v128.const f64x2 0.5 0.5)))
          (f64x2.mul (local.get $r2) (f64x2.add (v128.const f64x2 0.16666666666666666 0.16666666666666666) (f64x2.mul (local.get $r) (v128.const f64x2 0.041666666666666664 0.041666666666666664))))))
        (local.set $b1 (f64x2.add (f64x2.add (v128.const f64x2 0.008333333333333333 0.008333333333333333) (f64x2.mul (local.get $r) (v128.const f64x2 0.001388888888888889 0.001388888888888889)))
          (f64x2.mul (local.get $r2) (f64x2.add (v128.const f64x2 0.0001984126984126984 0.0001984126984126984) (f64x2.mul (local.get $r) (v128.const f64x2 2.48015873015873e-05 2.48015873015873e-05))))))
        (local.set $p (f64x2.add (f64x2.add (local.get $b0) (f64x2.mul (local.get $r4) (local.get $b1)))
          (f64x2.mul (f64x2.mul (local.get $r4) (local.get $r4)) (v128.const f64x2 2.7557319223985893e-06 2.7557319223985893e-06))))
        (local.set $p (f64x2.mul (local.get $r) (local.get $p)))
        (local.set $s (i64x2.shl
          (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $kf))) (v128.const i64x2 1023 1023))
          (i32.const 52)))
        (local.set $em1 (f64x2.add (f64x2.mul (local.get $s) (local.get $p)) (f64x2.sub (local.get $s) (v128.const f64x2 1 1))))
        (local.set $e (f64x2.mul (local.get $s) (f64x2.add (v128.const f64x2 1 1) (local.get $p))))
        (if (local.get $kind)
          (then
            (local.set $q (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e))))
            (local.set $t (v128.bitselect (f64x2.mul (local.get $e) (local.get $q)) (local.get $q)
              (f64x2.lt (local.get $a) (v128.const f64x2 0 0))))
            (local.set $g (f64x2.mul (local.get $e) (f64x2.mul (local.get $q) (local.get $q)))))
          (else
            (local.set $q (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 2 2) (local.get $em1))))
            (local.set $t (v128.or (f64x2.abs (f64x2.mul (local.get $em1) (local.get $q)))
              (v128.and (local.get $a) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
            (local.set $g (f64x2.mul (f64x2.mul (v128.const f64x2 4 4) (local.get $e)) (f64x2.mul (local.get $q) (local.get $q))))))
        (v128.store64_lane 0 (local.get $x) (f32x4.demote_f64x2_zero (local.get $t)))
        (if (local.get $d)
          (then
            (v128.store64_lane 0 (local.get $d) (f32x4.demote_f64x2_zero (local.get $g)))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $l))))
)

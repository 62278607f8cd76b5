;; Float64 SIMD (f64x2) linear-algebra kernels: dot/scal, a gemv over a resident matrix, the product
;; diag(d)·A·Q, and a Householder QR (factor, form Q, apply the factored Q from the right); the
;; geometry layer's kernels are in f64-embedding.wat, spliced into this module. Compiled by
;; scripts/build-f64-wasm.mjs into src/core/wasm64/f64-wasm.ts. All pointers are byte offsets into the
;; exported memory; matrices are float64, column-major n×k with column c at p + 8·c·n (row-major for
;; `a` in matmul). Mirrors the JS kernels in src/core/linalg/frame-qr.ts (same reflectors, same
;; blocking), vectorized over the contiguous index; only the order of the floating-point sums differs.
(module
  (import "m" "hypot" (func $hypot (param f64 f64) (result f64)))
  (memory (export "memory") 16)

  (func $hsum (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; Σ a[i]·b[i], i < len
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $len i32) (result f64)
    (local $acc0 v128) (local $acc1 v128) (local $end i32) (local $off i32) (local $s f64)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $acc0 (f64x2.add (local.get $acc0)
          (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $off)))
                     (v128.load (i32.add (local.get $b) (local.get $off))))))
        (local.set $acc1 (f64x2.add (local.get $acc1)
          (f64x2.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $off)))
                     (v128.load offset=16 (i32.add (local.get $b) (local.get $off))))))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $l)))
    (local.set $s (call $hsum (f64x2.add (local.get $acc0) (local.get $acc1))))
    (local.set $end (i32.shl (local.get $len) (i32.const 3)))
    (block $done2
      (loop $l2
        (br_if $done2 (i32.ge_u (local.get $off) (local.get $end)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $off)))
                   (f64.load (i32.add (local.get $b) (local.get $off))))))
        (local.set $off (i32.add (local.get $off) (i32.const 8)))
        (br $l2)))
    (local.get $s))

;; out[j] = squared norm of column j (n entries at a + 8·j·n), j < k, with four partial sums per
  ;; column over i mod 4 (lanes of two accumulators), the tail added to the first, then
  ;; (s0 + s1) + (s2 + s3): the same operations in the same order as the JS loop of
  ;; lyapunov/qr-frame.ts, so the same bits (multiply then add, in both builds).
  (func (export "colNormsSq") (param $n i32) (param $k i32) (param $a i32) (param $out i32)
    (local $j i32) (local $c i32) (local $off i32) (local $end i32) (local $tail i32)
    (local $p v128) (local $q v128) (local $x v128) (local $s0 f64) (local $v f64)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3)))
    (local.set $tail (i32.shl (local.get $n) (i32.const 3)))
    (block $jdone
      (loop $jl
        (br_if $jdone (i32.ge_s (local.get $j) (local.get $k)))
        (local.set $c (i32.add (local.get $a) (i32.mul (local.get $j) (local.get $tail))))
        (local.set $p (v128.const i64x2 0 0))
        (local.set $q (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $d
          (loop $l
            (br_if $d (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $x (v128.load (i32.add (local.get $c) (local.get $off))))
            (local.set $p (f64x2.add (local.get $p) (f64x2.mul (local.get $x) (local.get $x))))
            (local.set $x (v128.load offset=16 (i32.add (local.get $c) (local.get $off))))
            (local.set $q (f64x2.add (local.get $q) (f64x2.mul (local.get $x) (local.get $x))))
            (local.set $off (i32.add (local.get $off) (i32.const 32)))
            (br $l)))
        (local.set $s0 (f64x2.extract_lane 0 (local.get $p)))
        (block $td
          (loop $tl
            (br_if $td (i32.ge_u (local.get $off) (local.get $tail)))
            (local.set $v (f64.load (i32.add (local.get $c) (local.get $off))))
            (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $v) (local.get $v))))
            (local.set $off (i32.add (local.get $off) (i32.const 8)))
            (br $tl)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3)))
          (f64.add
            (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $p)))
            (f64.add (f64x2.extract_lane 0 (local.get $q)) (f64x2.extract_lane 1 (local.get $q)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl))))

  ;; x[i] ← s·x[i], i < len
  (func $scal (export "scal") (param $x i32) (param $len i32) (param $s f64)
    (local $sv v128) (local $end i32) (local $off i32)
    (local.set $sv (f64x2.splat (local.get $s)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $off) (local.get $end)))
        (v128.store (i32.add (local.get $x) (local.get $off))
          (f64x2.mul (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $sv)))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $x) (local.get $end))
          (f64.mul (f64.load (i32.add (local.get $x) (local.get $end))) (local.get $s))))))

  ;; out[i] = Σ_l w(i, l)·x[l], i < m, l < n, for the row pairs of an m×n matrix stored interleaved
  ;; (pair p at w + 16·p·n: w(2p, l), w(2p+1, l) adjacent), the odd last row (if any) contiguous after
  ;; them. Each lane sums its row in order l = 0, 1, …, exactly as the scalar JS loop does: bit-identical.
  (func (export "gemvPairs") (param $m i32) (param $n i32) (param $w i32) (param $x i32) (param $out i32)
    (local $pairs i32) (local $p i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $ps i32)
    (local $off i32) (local $end i32) (local $o i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $xv v128) (local $s f64)
    (local.set $pairs (i32.shr_u (local.get $m) (i32.const 1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $ps (i32.shl (local.get $n) (i32.const 4)))
    ;; four pairs (eight rows) per pass over x: four independent add chains hide the add latency
    (block $pdone
      (loop $pl
        (br_if $pdone (i32.ge_s (i32.add (local.get $p) (i32.const 3)) (local.get $pairs)))
        (local.set $a0 (i32.add (local.get $w) (i32.mul (local.get $p) (local.get $ps))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $ps)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $ps)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $ps)))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $ld
          (loop $ll
            (br_if $ld (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $xv (v128.load64_splat (i32.add (local.get $x) (local.get $off))))
            (local.set $o (i32.shl (local.get $off) (i32.const 1)))
            (local.set $acc0 (f64x2.add (local.get $acc0) (f64x2.mul (v128.load (i32.add (local.get $a0) (local.get $o))) (local.get $xv))))
            (local.set $acc1 (f64x2.add (local.get $acc1) (f64x2.mul (v128.load (i32.add (local.get $a1) (local.get $o))) (local.get $xv))))
            (local.set $acc2 (f64x2.add (local.get $acc2) (f64x2.mul (v128.load (i32.add (local.get $a2) (local.get $o))) (local.get $xv))))
            (local.set $acc3 (f64x2.add (local.get $acc3) (f64x2.mul (v128.load (i32.add (local.get $a3) (local.get $o))) (local.get $xv))))
            (local.set $off (i32.add (local.get $off) (i32.const 8)))
            (br $ll)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 4))))
        (v128.store (local.get $o) (local.get $acc0))
        (v128.store offset=16 (local.get $o) (local.get $acc1))
        (v128.store offset=32 (local.get $o) (local.get $acc2))
        (v128.store offset=48 (local.get $o) (local.get $acc3))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $pl)))
    ;; the remaining pairs, one at a time
    (block $p1done
      (loop $p1l
        (br_if $p1done (i32.ge_s (local.get $p) (local.get $pairs)))
        (local.set $a0 (i32.add (local.get $w) (i32.mul (local.get $p) (local.get $ps))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $ld1
          (loop $ll1
            (br_if $ld1 (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load (i32.add (local.get $a0) (i32.shl (local.get $off) (i32.const 1))))
                         (v128.load64_splat (i32.add (local.get $x) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 8)))
            (br $ll1)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $p) (i32.const 4))) (local.get $acc0))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $p1l)))
    (if (i32.and (local.get $m) (i32.const 1))
      (then
        (local.set $a0 (i32.add (local.get $w) (i32.shl (i32.mul (i32.sub (local.get $m) (i32.const 1)) (local.get $n)) (i32.const 3))))
        (local.set $off (i32.const 0))
        (block $ld2
          (loop $ll2
            (br_if $ld2 (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $a0) (local.get $off))) (f64.load (i32.add (local.get $x) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 8)))
            (br $ll2)))
        (f64.store (i32.add (local.get $out) (i32.shl (i32.sub (local.get $m) (i32.const 1)) (i32.const 3))) (local.get $s)))))

  ;; out[r·n + l] = Σ_{g < terms} c[g·rows + r] · w[g·wstr + r·n + l] for r < rows, l < n (wstr: doubles
  ;; from one term's matrix to the next): a row-scaled sum of matrices, the gated cells' Jacobian from
  ;; their gate blocks. Each entry is summed in order g = 0, 1, … with a separate multiply and add:
  ;; the bits of the plain JS loop.
  (func (export "combineRows") (param $rows i32) (param $n i32) (param $terms i32) (param $w i32) (param $wstr i32) (param $c i32) (param $out i32)
    (local $r i32) (local $g i32) (local $rowb i32) (local $pairb i32) (local $o i32) (local $src i32) (local $l i32)
    (local $cs f64) (local $cv v128)
    (local.set $rowb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $pairb (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $rowb))))
        (local.set $g (i32.const 0))
        (block $gdone
          (loop $gl
            (br_if $gdone (i32.ge_s (local.get $g) (local.get $terms)))
            (local.set $cs (f64.load (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $g) (local.get $rows)) (local.get $r)) (i32.const 3)))))
            (local.set $cv (f64x2.splat (local.get $cs)))
            (local.set $src (i32.add (i32.add (local.get $w) (i32.shl (i32.mul (local.get $g) (local.get $wstr)) (i32.const 3)))
              (i32.mul (local.get $r) (local.get $rowb))))
            (local.set $l (i32.const 0))
            (if (i32.eqz (local.get $g))
              (then
                (block $d0
                  (loop $l0
                    (br_if $d0 (i32.ge_u (local.get $l) (local.get $pairb)))
                    (v128.store (i32.add (local.get $o) (local.get $l))
                      (f64x2.mul (v128.load (i32.add (local.get $src) (local.get $l))) (local.get $cv)))
                    (local.set $l (i32.add (local.get $l) (i32.const 16)))
                    (br $l0)))
                (if (i32.and (local.get $n) (i32.const 1))
                  (then (f64.store (i32.add (local.get $o) (local.get $l))
                    (f64.mul (f64.load (i32.add (local.get $src) (local.get $l))) (local.get $cs))))))
              (else
                (block $d1
                  (loop $l1
                    (br_if $d1 (i32.ge_u (local.get $l) (local.get $pairb)))
                    (v128.store (i32.add (local.get $o) (local.get $l))
                      (f64x2.add (v128.load (i32.add (local.get $o) (local.get $l)))
                        (f64x2.mul (v128.load (i32.add (local.get $src) (local.get $l))) (local.get $cv))))
                    (local.set $l (i32.add (local.get $l) (i32.const 16)))
                    (br $l1)))
                (if (i32.and (local.get $n) (i32.const 1))
                  (then (f64.store (i32.add (local.get $o) (local.get $l))
                    (f64.add (f64.load (i32.add (local.get $o) (local.get $l)))
                      (f64.mul (f64.load (i32.add (local.get $src) (local.get $l))) (local.get $cs))))))))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $gl)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; out[c·n + r] = m[r·n + c] for r < n, c < k: the first k columns of the row-major n×n m, column-major
  (func (export "transposeCols") (param $n i32) (param $k i32) (param $m i32) (param $out i32)
    (local $c i32) (local $r i32) (local $src i32) (local $dst i32) (local $nb i32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_s (local.get $c) (local.get $k)))
        (local.set $src (i32.add (local.get $m) (i32.shl (local.get $c) (i32.const 3))))
        (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $c) (local.get $nb))))
        (local.set $r (i32.const 0))
        (block $rdone
          (loop $rl
            (br_if $rdone (i32.ge_s (local.get $r) (local.get $n)))
            (f64.store (local.get $dst) (f64.load (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $nb)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rl)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl))))

    ;; out = diag(d)·Aᵀ·Q: out[i + j·ldo] = d_i · Σ_l a[l + i·lda] · q[l + j·ldq] for i < m, j < k, l < n
  ;; (rows of Aᵀ and columns of Q contiguous); d = 0 means no diagonal. With lda = ldq = ldo = n and
  ;; m = n this is diag(d)·A·Q for A row-major n×n and Q, out column-major n×k. Blocks of 4 rows ×
  ;; 2 columns, f64x2 along the shared index.
  (func $gemmTN (export "gemmTN") (param $n i32) (param $m i32) (param $k i32) (param $a i32) (param $lda i32)
        (param $q i32) (param $ldq i32) (param $out i32) (param $ldo i32) (param $d i32)
    (local $j i32) (local $i i32) (local $nb i32) (local $qb i32) (local $ob i32) (local $q0 i32) (local $q1 i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $off i32) (local $end i32)
    (local $s00 v128) (local $s10 v128) (local $s20 v128) (local $s30 v128)
    (local $s01 v128) (local $s11 v128) (local $s21 v128) (local $s31 v128)
    (local $x0 v128) (local $x1 v128) (local $w v128)
    (local $t0 f64) (local $t1 f64) (local $u f64)
    (local $o0 i32) (local $o1 i32) (local $dv f64)
    (local.set $nb (i32.shl (local.get $lda) (i32.const 3)))
    (local.set $qb (i32.shl (local.get $ldq) (i32.const 3)))
    (local.set $ob (i32.shl (local.get $ldo) (i32.const 3)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    ;; 4-row blocks outermost: the block's rows of A stay in L1 while every column pair of Q passes
    (local.set $i (i32.const 0))
    (block $idone
      (loop $il
        (br_if $idone (i32.ge_s (i32.add (local.get $i) (i32.const 3)) (local.get $m)))
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $nb))))
        (local.set $r1 (i32.add (local.get $r0) (local.get $nb)))
        (local.set $r2 (i32.add (local.get $r1) (local.get $nb)))
        (local.set $r3 (i32.add (local.get $r2) (local.get $nb)))
        (local.set $j (i32.const 0))
        (block $jdone
          (loop $jl
            (br_if $jdone (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $k)))
            (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $j) (local.get $qb))))
            (local.set $q1 (i32.add (local.get $q0) (local.get $qb)))
            (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $ob))))
            (local.set $o1 (i32.add (local.get $o0) (local.get $ob)))
            (local.set $s00 (v128.const i64x2 0 0)) (local.set $s10 (v128.const i64x2 0 0))
            (local.set $s20 (v128.const i64x2 0 0)) (local.set $s30 (v128.const i64x2 0 0))
            (local.set $s01 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
            (local.set $s21 (v128.const i64x2 0 0)) (local.set $s31 (v128.const i64x2 0 0))
            (local.set $off (i32.const 0))
            (block $ldone
              (loop $ll
                (br_if $ldone (i32.ge_u (local.get $off) (local.get $end)))
                (local.set $x0 (v128.load (i32.add (local.get $q0) (local.get $off))))
                (local.set $x1 (v128.load (i32.add (local.get $q1) (local.get $off))))
                (local.set $w (v128.load (i32.add (local.get $r0) (local.get $off))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load (i32.add (local.get $r1) (local.get $off))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load (i32.add (local.get $r2) (local.get $off))))
                (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load (i32.add (local.get $r3) (local.get $off))))
                (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $off (i32.add (local.get $off) (i32.const 16)))
                (br $ll)))
            ;; odd n: the last product of each sum joins lane 0 (x0/x1 hold [q_l, 0])
            (if (i32.and (local.get $n) (i32.const 1))
              (then
                (local.set $x0 (v128.load64_zero (i32.add (local.get $q0) (local.get $end))))
                (local.set $x1 (v128.load64_zero (i32.add (local.get $q1) (local.get $end))))
                (local.set $w (v128.load64_zero (i32.add (local.get $r0) (local.get $end))))
                (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load64_zero (i32.add (local.get $r1) (local.get $end))))
                (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load64_zero (i32.add (local.get $r2) (local.get $end))))
                (local.set $s20 (f64x2.add (local.get $s20) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s21 (f64x2.add (local.get $s21) (f64x2.mul (local.get $w) (local.get $x1))))
                (local.set $w (v128.load64_zero (i32.add (local.get $r3) (local.get $end))))
                (local.set $s30 (f64x2.add (local.get $s30) (f64x2.mul (local.get $w) (local.get $x0))))
                (local.set $s31 (f64x2.add (local.get $s31) (f64x2.mul (local.get $w) (local.get $x1))))))
            ;; pairwise sums of rows (i, i+1) and (i+2, i+3): [s00₀+s00₁, s10₀+s10₁]
            (local.set $s00 (f64x2.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s00) (local.get $s10))
                                       (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s00) (local.get $s10))))
            (local.set $s20 (f64x2.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s20) (local.get $s30))
                                       (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s20) (local.get $s30))))
            (local.set $s01 (f64x2.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s01) (local.get $s11))
                                       (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s01) (local.get $s11))))
            (local.set $s21 (f64x2.add (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s21) (local.get $s31))
                                       (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s21) (local.get $s31))))
            (if (local.get $d)
              (then
                (local.set $w (v128.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $s00 (f64x2.mul (local.get $s00) (local.get $w)))
                (local.set $s01 (f64x2.mul (local.get $s01) (local.get $w)))
                (local.set $w (v128.load offset=16 (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $s20 (f64x2.mul (local.get $s20) (local.get $w)))
                (local.set $s21 (f64x2.mul (local.get $s21) (local.get $w)))))
            (v128.store (i32.add (local.get $o0) (i32.shl (local.get $i) (i32.const 3))) (local.get $s00))
            (v128.store offset=16 (i32.add (local.get $o0) (i32.shl (local.get $i) (i32.const 3))) (local.get $s20))
            (v128.store (i32.add (local.get $o1) (i32.shl (local.get $i) (i32.const 3))) (local.get $s01))
            (v128.store offset=16 (i32.add (local.get $o1) (i32.shl (local.get $i) (i32.const 3))) (local.get $s21))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
    ;; remaining rows, every column pair
    (block $rdone
      (loop $rl
        (br_if $rdone (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $jdone2
          (loop $jl2
            (br_if $jdone2 (i32.ge_s (i32.add (local.get $j) (i32.const 1)) (local.get $k)))
            (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $j) (local.get $qb))))
            (local.set $q1 (i32.add (local.get $q0) (local.get $qb)))
            (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $ob))))
            (local.set $o1 (i32.add (local.get $o0) (local.get $ob)))
            (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $nb))))
            (local.set $dv (if (result f64) (local.get $d)
              (then (f64.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))
              (else (f64.const 1))))
            (f64.store (i32.add (local.get $o0) (i32.shl (local.get $i) (i32.const 3)))
              (f64.mul (local.get $dv) (call $dot (local.get $r0) (local.get $q0) (local.get $n))))
            (f64.store (i32.add (local.get $o1) (i32.shl (local.get $i) (i32.const 3)))
              (f64.mul (local.get $dv) (call $dot (local.get $r0) (local.get $q1) (local.get $n))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $jl2)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rl)))
    (local.set $j (i32.and (local.get $k) (i32.const -2))) ;; the column not in a pair, if any
    ;; last column when k is odd
    (if (i32.lt_s (local.get $j) (local.get $k))
      (then
        (local.set $q0 (i32.add (local.get $q) (i32.mul (local.get $j) (local.get $qb))))
        (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $j) (local.get $ob))))
        (local.set $i (i32.const 0))
        (block $cdone
          (loop $cl
            (br_if $cdone (i32.ge_s (local.get $i) (local.get $m)))
            (local.set $dv (if (result f64) (local.get $d)
              (then (f64.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))
              (else (f64.const 1))))
            (f64.store (i32.add (local.get $o0) (i32.shl (local.get $i) (i32.const 3)))
              (f64.mul (local.get $dv)
                (call $dot (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $nb))) (local.get $q0) (local.get $n))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $cl))))))

  ;; H = I − t·v·vᵀ (v = column j of the matrix at $v, rows j..n-1, unit leading entry stored) applied
  ;; to columns c0..c1-1 of the matrix at $dst over rows j..n-1; four columns per pass.
  (func $applyReflector (export "applyReflector") (param $n i32) (param $v i32) (param $j i32) (param $t f64)
        (param $dst i32) (param $c0 i32) (param $c1 i32)
    (local $nb i32) (local $vj i32) (local $len i32) (local $end i32) (local $c i32) (local $off i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $x v128)
    (local $xs f64)
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $vj (i32.add (local.get $v) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $n)) (local.get $j)) (i32.const 3))))
    (local.set $len (i32.sub (local.get $n) (local.get $j)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (local.set $c (local.get $c0))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_s (i32.add (local.get $c) (i32.const 3)) (local.get $c1)))
        (local.set $a0 (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $j)) (i32.const 3))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $nb)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $nb)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $nb)))
        (local.set $w0 (v128.const i64x2 0 0)) (local.set $w1 (v128.const i64x2 0 0))
        (local.set $w2 (v128.const i64x2 0 0)) (local.set $w3 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $d1
          (loop $l1
            (br_if $d1 (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $x (v128.load (i32.add (local.get $vj) (local.get $off))))
            (local.set $w0 (f64x2.add (local.get $w0) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $a0) (local.get $off))))))
            (local.set $w1 (f64x2.add (local.get $w1) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $a1) (local.get $off))))))
            (local.set $w2 (f64x2.add (local.get $w2) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $a2) (local.get $off))))))
            (local.set $w3 (f64x2.add (local.get $w3) (f64x2.mul (local.get $x) (v128.load (i32.add (local.get $a3) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $l1)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $x (v128.load64_zero (i32.add (local.get $vj) (local.get $end))))
            (local.set $w0 (f64x2.add (local.get $w0) (f64x2.mul (local.get $x) (v128.load64_zero (i32.add (local.get $a0) (local.get $end))))))
            (local.set $w1 (f64x2.add (local.get $w1) (f64x2.mul (local.get $x) (v128.load64_zero (i32.add (local.get $a1) (local.get $end))))))
            (local.set $w2 (f64x2.add (local.get $w2) (f64x2.mul (local.get $x) (v128.load64_zero (i32.add (local.get $a2) (local.get $end))))))
            (local.set $w3 (f64x2.add (local.get $w3) (f64x2.mul (local.get $x) (v128.load64_zero (i32.add (local.get $a3) (local.get $end))))))))
        (local.set $w0 (f64x2.splat (f64.mul (local.get $t) (f64.add (f64x2.extract_lane 0 (local.get $w0)) (f64x2.extract_lane 1 (local.get $w0))))))
        (local.set $w1 (f64x2.splat (f64.mul (local.get $t) (f64.add (f64x2.extract_lane 0 (local.get $w1)) (f64x2.extract_lane 1 (local.get $w1))))))
        (local.set $w2 (f64x2.splat (f64.mul (local.get $t) (f64.add (f64x2.extract_lane 0 (local.get $w2)) (f64x2.extract_lane 1 (local.get $w2))))))
        (local.set $w3 (f64x2.splat (f64.mul (local.get $t) (f64.add (f64x2.extract_lane 0 (local.get $w3)) (f64x2.extract_lane 1 (local.get $w3))))))
        (local.set $off (i32.const 0))
        (block $d2
          (loop $l2
            (br_if $d2 (i32.ge_u (local.get $off) (local.get $end)))
            (local.set $x (v128.load (i32.add (local.get $vj) (local.get $off))))
            (v128.store (i32.add (local.get $a0) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $a0) (local.get $off))) (f64x2.mul (local.get $w0) (local.get $x))))
            (v128.store (i32.add (local.get $a1) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $a1) (local.get $off))) (f64x2.mul (local.get $w1) (local.get $x))))
            (v128.store (i32.add (local.get $a2) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $a2) (local.get $off))) (f64x2.mul (local.get $w2) (local.get $x))))
            (v128.store (i32.add (local.get $a3) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $a3) (local.get $off))) (f64x2.mul (local.get $w3) (local.get $x))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $l2)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (local.set $xs (f64.load (i32.add (local.get $vj) (local.get $end))))
            (f64.store (i32.add (local.get $a0) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $a0) (local.get $end))) (f64.mul (f64x2.extract_lane 0 (local.get $w0)) (local.get $xs))))
            (f64.store (i32.add (local.get $a1) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $a1) (local.get $end))) (f64.mul (f64x2.extract_lane 0 (local.get $w1)) (local.get $xs))))
            (f64.store (i32.add (local.get $a2) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $a2) (local.get $end))) (f64.mul (f64x2.extract_lane 0 (local.get $w2)) (local.get $xs))))
            (f64.store (i32.add (local.get $a3) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $a3) (local.get $end))) (f64.mul (f64x2.extract_lane 0 (local.get $w3)) (local.get $xs))))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $cl)))
    ;; remaining columns, one at a time
    (block $c1done
      (loop $c1l
        (br_if $c1done (i32.ge_s (local.get $c) (local.get $c1)))
        (local.set $a0 (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $j)) (i32.const 3))))
        (local.set $xs (f64.mul (local.get $t) (call $dot (local.get $vj) (local.get $a0) (local.get $len))))
        (local.set $w0 (f64x2.splat (local.get $xs)))
        (local.set $off (i32.const 0))
        (block $d3
          (loop $l3
            (br_if $d3 (i32.ge_u (local.get $off) (local.get $end)))
            (v128.store (i32.add (local.get $a0) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $a0) (local.get $off)))
                         (f64x2.mul (local.get $w0) (v128.load (i32.add (local.get $vj) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $l3)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $a0) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $a0) (local.get $end)))
                       (f64.mul (local.get $xs) (f64.load (i32.add (local.get $vj) (local.get $end))))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $c1l))))

  ;; Reflectors j and j+1 applied to columns c0..c1-1 of $dst over rows j..n-1: H_{j+1}·H_j·c when
  ;; $fwd (factorization order), H_j·H_{j+1}·c otherwise. v_j has its unit entry stored at row j;
  ;; v_{j+1} has its unit entry at row j+1 and an implicit 0 in row j. Four columns per pass.
  (func $applyPair (export "applyPair") (param $n i32) (param $v i32) (param $j i32) (param $t1 f64) (param $t2 f64)
        (param $dst i32) (param $c0 i32) (param $c1 i32) (param $fwd i32)
    (local $nb i32) (local $xp i32) (local $yp i32) (local $len i32) (local $end i32) (local $c i32) (local $off i32)
    (local $h0 i32) (local $b0 i32) (local $h1 i32) (local $b1 i32) (local $h2 i32) (local $b2 i32) (local $h3 i32) (local $b3 i32)
    (local $P0 v128) (local $Q0 v128) (local $P1 v128) (local $Q1 v128) (local $P2 v128) (local $Q2 v128) (local $P3 v128) (local $Q3 v128) (local $x v128) (local $y v128) (local $e v128)
    (local $s f64) (local $p0 f64) (local $q0 f64) (local $p1 f64) (local $q1 f64) (local $p2 f64) (local $q2 f64) (local $p3 f64) (local $q3 f64) (local $xs f64) (local $ys f64)
    (if (i32.and (f64.eq (local.get $t1) (f64.const 0)) (f64.eq (local.get $t2) (f64.const 0))) (then (return)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 3)))
    (local.set $xp (i32.add (local.get $v) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $n)) (i32.add (local.get $j) (i32.const 1))) (i32.const 3))))
    (local.set $yp (i32.add (local.get $xp) (local.get $nb)))
    (local.set $len (i32.sub (i32.sub (local.get $n) (local.get $j)) (i32.const 1)))
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (local.set $s (call $dot (local.get $xp) (local.get $yp) (local.get $len)))
    (local.set $c (local.get $c0))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_s (i32.add (local.get $c) (i32.const 3)) (local.get $c1)))
        (local.set $h0 (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $j)) (i32.const 3))))
        (local.set $h1 (i32.add (local.get $h0) (local.get $nb)))
        (local.set $h2 (i32.add (local.get $h1) (local.get $nb)))
        (local.set $h3 (i32.add (local.get $h2) (local.get $nb)))
        (local.set $b0 (i32.add (local.get $h0) (i32.const 8)))
        (local.set $b1 (i32.add (local.get $h1) (i32.const 8)))
        (local.set $b2 (i32.add (local.get $h2) (i32.const 8)))
        (local.set $b3 (i32.add (local.get $h3) (i32.const 8)))
        (local.set $P0 (v128.const i64x2 0 0)) (local.set $Q0 (v128.const i64x2 0 0))
        (local.set $P1 (v128.const i64x2 0 0)) (local.set $Q1 (v128.const i64x2 0 0))
        (local.set $P2 (v128.const i64x2 0 0)) (local.set $Q2 (v128.const i64x2 0 0))
        (local.set $P3 (v128.const i64x2 0 0)) (local.set $Q3 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $d1 (loop $l1
          (br_if $d1 (i32.ge_u (local.get $off) (local.get $end)))
          (local.set $x (v128.load (i32.add (local.get $xp) (local.get $off))))
          (local.set $y (v128.load (i32.add (local.get $yp) (local.get $off))))
          (local.set $e (v128.load (i32.add (local.get $b0) (local.get $off))))
          (local.set $P0 (f64x2.add (local.get $P0) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q0 (f64x2.add (local.get $Q0) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load (i32.add (local.get $b1) (local.get $off))))
          (local.set $P1 (f64x2.add (local.get $P1) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q1 (f64x2.add (local.get $Q1) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load (i32.add (local.get $b2) (local.get $off))))
          (local.set $P2 (f64x2.add (local.get $P2) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q2 (f64x2.add (local.get $Q2) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load (i32.add (local.get $b3) (local.get $off))))
          (local.set $P3 (f64x2.add (local.get $P3) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q3 (f64x2.add (local.get $Q3) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br $l1)))
        (if (i32.and (local.get $len) (i32.const 1)) (then (local.set $off (local.get $end))
          (local.set $x (v128.load64_zero (i32.add (local.get $xp) (local.get $off))))
          (local.set $y (v128.load64_zero (i32.add (local.get $yp) (local.get $off))))
          (local.set $e (v128.load64_zero (i32.add (local.get $b0) (local.get $off))))
          (local.set $P0 (f64x2.add (local.get $P0) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q0 (f64x2.add (local.get $Q0) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load64_zero (i32.add (local.get $b1) (local.get $off))))
          (local.set $P1 (f64x2.add (local.get $P1) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q1 (f64x2.add (local.get $Q1) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load64_zero (i32.add (local.get $b2) (local.get $off))))
          (local.set $P2 (f64x2.add (local.get $P2) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q2 (f64x2.add (local.get $Q2) (f64x2.mul (local.get $y) (local.get $e))))
          (local.set $e (v128.load64_zero (i32.add (local.get $b3) (local.get $off))))
          (local.set $P3 (f64x2.add (local.get $P3) (f64x2.mul (local.get $x) (local.get $e))))
          (local.set $Q3 (f64x2.add (local.get $Q3) (f64x2.mul (local.get $y) (local.get $e))))
        ))
        (local.set $p0 (f64.add (f64.load (local.get $h0)) (f64.add (f64x2.extract_lane 0 (local.get $P0)) (f64x2.extract_lane 1 (local.get $P0)))))
        (local.set $q0 (f64.add (f64x2.extract_lane 0 (local.get $Q0)) (f64x2.extract_lane 1 (local.get $Q0))))
        (local.set $p1 (f64.add (f64.load (local.get $h1)) (f64.add (f64x2.extract_lane 0 (local.get $P1)) (f64x2.extract_lane 1 (local.get $P1)))))
        (local.set $q1 (f64.add (f64x2.extract_lane 0 (local.get $Q1)) (f64x2.extract_lane 1 (local.get $Q1))))
        (local.set $p2 (f64.add (f64.load (local.get $h2)) (f64.add (f64x2.extract_lane 0 (local.get $P2)) (f64x2.extract_lane 1 (local.get $P2)))))
        (local.set $q2 (f64.add (f64x2.extract_lane 0 (local.get $Q2)) (f64x2.extract_lane 1 (local.get $Q2))))
        (local.set $p3 (f64.add (f64.load (local.get $h3)) (f64.add (f64x2.extract_lane 0 (local.get $P3)) (f64x2.extract_lane 1 (local.get $P3)))))
        (local.set $q3 (f64.add (f64x2.extract_lane 0 (local.get $Q3)) (f64x2.extract_lane 1 (local.get $Q3))))
        (if (local.get $fwd) (then
          (local.set $p0 (f64.mul (local.get $p0) (local.get $t1)))
          (local.set $q0 (f64.mul (local.get $t2) (f64.sub (local.get $q0) (f64.mul (local.get $p0) (local.get $s)))))
          (local.set $p1 (f64.mul (local.get $p1) (local.get $t1)))
          (local.set $q1 (f64.mul (local.get $t2) (f64.sub (local.get $q1) (f64.mul (local.get $p1) (local.get $s)))))
          (local.set $p2 (f64.mul (local.get $p2) (local.get $t1)))
          (local.set $q2 (f64.mul (local.get $t2) (f64.sub (local.get $q2) (f64.mul (local.get $p2) (local.get $s)))))
          (local.set $p3 (f64.mul (local.get $p3) (local.get $t1)))
          (local.set $q3 (f64.mul (local.get $t2) (f64.sub (local.get $q3) (f64.mul (local.get $p3) (local.get $s)))))
        ) (else
          (local.set $q0 (f64.mul (local.get $q0) (local.get $t2)))
          (local.set $p0 (f64.mul (local.get $t1) (f64.sub (local.get $p0) (f64.mul (local.get $q0) (local.get $s)))))
          (local.set $q1 (f64.mul (local.get $q1) (local.get $t2)))
          (local.set $p1 (f64.mul (local.get $t1) (f64.sub (local.get $p1) (f64.mul (local.get $q1) (local.get $s)))))
          (local.set $q2 (f64.mul (local.get $q2) (local.get $t2)))
          (local.set $p2 (f64.mul (local.get $t1) (f64.sub (local.get $p2) (f64.mul (local.get $q2) (local.get $s)))))
          (local.set $q3 (f64.mul (local.get $q3) (local.get $t2)))
          (local.set $p3 (f64.mul (local.get $t1) (f64.sub (local.get $p3) (f64.mul (local.get $q3) (local.get $s)))))
        ))
        (f64.store (local.get $h0) (f64.sub (f64.load (local.get $h0)) (local.get $p0)))
        (local.set $P0 (f64x2.splat (local.get $p0))) (local.set $Q0 (f64x2.splat (local.get $q0)))
        (f64.store (local.get $h1) (f64.sub (f64.load (local.get $h1)) (local.get $p1)))
        (local.set $P1 (f64x2.splat (local.get $p1))) (local.set $Q1 (f64x2.splat (local.get $q1)))
        (f64.store (local.get $h2) (f64.sub (f64.load (local.get $h2)) (local.get $p2)))
        (local.set $P2 (f64x2.splat (local.get $p2))) (local.set $Q2 (f64x2.splat (local.get $q2)))
        (f64.store (local.get $h3) (f64.sub (f64.load (local.get $h3)) (local.get $p3)))
        (local.set $P3 (f64x2.splat (local.get $p3))) (local.set $Q3 (f64x2.splat (local.get $q3)))
        (local.set $off (i32.const 0))
        (block $d2 (loop $l2
          (br_if $d2 (i32.ge_u (local.get $off) (local.get $end)))
          (local.set $x (v128.load (i32.add (local.get $xp) (local.get $off))))
          (local.set $y (v128.load (i32.add (local.get $yp) (local.get $off))))
          (v128.store (i32.add (local.get $b0) (local.get $off)) (f64x2.sub (v128.load (i32.add (local.get $b0) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P0) (local.get $x)) (f64x2.mul (local.get $Q0) (local.get $y)))))
          (v128.store (i32.add (local.get $b1) (local.get $off)) (f64x2.sub (v128.load (i32.add (local.get $b1) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P1) (local.get $x)) (f64x2.mul (local.get $Q1) (local.get $y)))))
          (v128.store (i32.add (local.get $b2) (local.get $off)) (f64x2.sub (v128.load (i32.add (local.get $b2) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P2) (local.get $x)) (f64x2.mul (local.get $Q2) (local.get $y)))))
          (v128.store (i32.add (local.get $b3) (local.get $off)) (f64x2.sub (v128.load (i32.add (local.get $b3) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P3) (local.get $x)) (f64x2.mul (local.get $Q3) (local.get $y)))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br $l2)))
        (if (i32.and (local.get $len) (i32.const 1)) (then (local.set $off (local.get $end))
          (local.set $x (v128.load64_zero (i32.add (local.get $xp) (local.get $off))))
          (local.set $y (v128.load64_zero (i32.add (local.get $yp) (local.get $off))))
          (f64.store (i32.add (local.get $b0) (local.get $off)) (f64x2.extract_lane 0 (f64x2.sub (v128.load64_zero (i32.add (local.get $b0) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P0) (local.get $x)) (f64x2.mul (local.get $Q0) (local.get $y))))))
          (f64.store (i32.add (local.get $b1) (local.get $off)) (f64x2.extract_lane 0 (f64x2.sub (v128.load64_zero (i32.add (local.get $b1) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P1) (local.get $x)) (f64x2.mul (local.get $Q1) (local.get $y))))))
          (f64.store (i32.add (local.get $b2) (local.get $off)) (f64x2.extract_lane 0 (f64x2.sub (v128.load64_zero (i32.add (local.get $b2) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P2) (local.get $x)) (f64x2.mul (local.get $Q2) (local.get $y))))))
          (f64.store (i32.add (local.get $b3) (local.get $off)) (f64x2.extract_lane 0 (f64x2.sub (v128.load64_zero (i32.add (local.get $b3) (local.get $off))) (f64x2.add (f64x2.mul (local.get $P3) (local.get $x)) (f64x2.mul (local.get $Q3) (local.get $y))))))
        ))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $cl)))
    ;; the remaining columns, one at a time
    (block $rdone (loop $rl
      (br_if $rdone (i32.ge_s (local.get $c) (local.get $c1)))
      (block
        (local.set $h0 (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $n)) (local.get $j)) (i32.const 3))))
        (local.set $b0 (i32.add (local.get $h0) (i32.const 8)))
        (local.set $p0 (f64.add (f64.load (local.get $h0)) (call $dot (local.get $xp) (local.get $b0) (local.get $len))))
        (local.set $q0 (call $dot (local.get $yp) (local.get $b0) (local.get $len)))
        (if (local.get $fwd)
          (then
            (local.set $p0 (f64.mul (local.get $p0) (local.get $t1)))
            (local.set $q0 (f64.mul (local.get $t2) (f64.sub (local.get $q0) (f64.mul (local.get $p0) (local.get $s))))))
          (else
            (local.set $q0 (f64.mul (local.get $q0) (local.get $t2)))
            (local.set $p0 (f64.mul (local.get $t1) (f64.sub (local.get $p0) (f64.mul (local.get $q0) (local.get $s)))))))
        (f64.store (local.get $h0) (f64.sub (f64.load (local.get $h0)) (local.get $p0)))
        (local.set $P0 (f64x2.splat (local.get $p0)))
        (local.set $Q0 (f64x2.splat (local.get $q0)))
        (local.set $off (i32.const 0))
        (block $d3
          (loop $l3
            (br_if $d3 (i32.ge_u (local.get $off) (local.get $end)))
            (v128.store (i32.add (local.get $b0) (local.get $off))
              (f64x2.sub (v128.load (i32.add (local.get $b0) (local.get $off)))
                (f64x2.add (f64x2.mul (local.get $P0) (v128.load (i32.add (local.get $xp) (local.get $off))))
                           (f64x2.mul (local.get $Q0) (v128.load (i32.add (local.get $yp) (local.get $off)))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $l3)))
        (if (i32.and (local.get $len) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $b0) (local.get $end))
              (f64.sub (f64.load (i32.add (local.get $b0) (local.get $end)))
                (f64.add (f64.mul (local.get $p0) (f64.load (i32.add (local.get $xp) (local.get $end))))
                         (f64.mul (local.get $q0) (f64.load (i32.add (local.get $yp) (local.get $end))))))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $rl))))
;; ---- the QR's control flow (the JS in ../kernels.ts: makeReflector, formColumn, qrFactor, qrFormQ),
  ;; so that one call does a whole factorization. $tau and $rd point to float64 arrays of length ≥ k.

  ;; ‖x[0 .. len)‖₂ (core/linalg/reflector.ts's columnTailNorm): one unscaled pass, recomputed scaled
  ;; by the largest entry only when the sum of squares is ≤ 2^-968 or not finite; NaN propagates.
  (func $tailNorm (param $x i32) (param $len i32) (result f64)
    (local $ss f64) (local $scale f64) (local $v f64) (local $i i32) (local $end i32)
    (local.set $ss (call $dot (local.get $x) (local.get $x) (local.get $len)))
    (if (i32.and (f64.gt (local.get $ss) (f64.const 0x1p-968)) (f64.lt (local.get $ss) (f64.const inf)))
      (then (return (f64.sqrt (local.get $ss)))))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $len) (i32.const 3))))
    (local.set $i (local.get $x))
    (block $d1 (loop $l1
      (br_if $d1 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (f64.abs (f64.load (local.get $i))))
      (if (i32.or (f64.gt (local.get $v) (local.get $scale)) (f64.ne (local.get $v) (local.get $v)))
        (then (local.set $scale (local.get $v))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l1)))
    (if (f64.eq (local.get $scale) (f64.const 0)) (then (return (f64.const 0))))
    (local.set $ss (f64.const 0))
    (local.set $i (local.get $x))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $v (f64.div (f64.load (local.get $i)) (local.get $scale)))
      (local.set $ss (f64.add (local.get $ss) (f64.mul (local.get $v) (local.get $v))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l2)))
    (f64.mul (local.get $scale) (f64.sqrt (local.get $ss))))

  ;; Householder reflector for column j (core/linalg/reflector.ts's makeReflector, the same scaling
  ;; policy): tail scaled into v (v_j = 1 stored), tau[j], rd[j] = R_jj. A column whose norm is
  ;; below 2^-969 is first rescaled by 2^600 (exact); only R_jj is scaled back.
  (func $makeReflector (param $n i32) (param $z i32) (param $j i32) (param $tau i32) (param $rd i32)
    (local $cj i32) (local $dj i32) (local $tail i32) (local $len i32)
    (local $alpha f64) (local $tn f64) (local $norm f64) (local $beta f64) (local $unscale f64)
    (local.set $cj (i32.add (local.get $z) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
    (local.set $dj (i32.add (local.get $cj) (i32.shl (local.get $j) (i32.const 3))))
    (local.set $tail (i32.add (local.get $dj) (i32.const 8)))
    (local.set $len (i32.sub (i32.sub (local.get $n) (local.get $j)) (i32.const 1)))
    (local.set $alpha (f64.load (local.get $dj)))
    (local.set $tn (call $tailNorm (local.get $tail) (local.get $len)))
    (if (f64.eq (local.get $tn) (f64.const 0))
      (then
        ;; already upper triangular in this column: H_j = I
        (f64.store (i32.add (local.get $tau) (i32.shl (local.get $j) (i32.const 3))) (f64.const 0))
        (f64.store (i32.add (local.get $rd) (i32.shl (local.get $j) (i32.const 3))) (local.get $alpha))
        (f64.store (local.get $dj) (f64.const 1))
        (return)))
    (local.set $unscale (f64.const 1))
    (local.set $norm (call $hypot (local.get $alpha) (local.get $tn)))
    (if (f64.lt (local.get $norm) (f64.const 0x1p-969))
      (then
        (call $scal (local.get $dj) (i32.add (local.get $len) (i32.const 1)) (f64.const 0x1p600))
        (local.set $unscale (f64.const 0x1p-600))
        (local.set $alpha (f64.load (local.get $dj)))
        (local.set $norm (call $hypot (local.get $alpha) (call $tailNorm (local.get $tail) (local.get $len))))))
    (local.set $beta (if (result f64) (f64.ge (local.get $alpha) (f64.const 0))
      (then (f64.neg (local.get $norm))) (else (local.get $norm))))
    (f64.store (i32.add (local.get $tau) (i32.shl (local.get $j) (i32.const 3)))
      (f64.div (f64.sub (local.get $beta) (local.get $alpha)) (local.get $beta)))
    (call $scal (local.get $tail) (local.get $len) (f64.div (f64.const 1) (f64.sub (local.get $alpha) (local.get $beta))))
    (f64.store (i32.add (local.get $rd) (i32.shl (local.get $j) (i32.const 3))) (f64.mul (local.get $beta) (local.get $unscale)))
    (f64.store (local.get $dj) (f64.const 1)))

  ;; Column j of Q from reflector j alone: e_j − t·v_j, zero above row j.
  (func $formColumn (param $n i32) (param $z i32) (param $t f64) (param $j i32)
    (local $cj i32) (local $i i32) (local $dj i32)
    (local.set $cj (i32.add (local.get $z) (i32.shl (i32.mul (local.get $j) (local.get $n)) (i32.const 3))))
    (local.set $dj (i32.add (local.get $cj) (i32.shl (local.get $j) (i32.const 3))))
    (call $scal (i32.add (local.get $dj) (i32.const 8)) (i32.sub (i32.sub (local.get $n) (local.get $j)) (i32.const 1))
      (f64.neg (local.get $t)))
    (f64.store (local.get $dj) (f64.sub (f64.const 1) (local.get $t)))
    (local.set $i (local.get $cj))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $dj)))
      (f64.store (local.get $i) (f64.const 0))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $l))))

  ;; Unblocked factorization of columns lo..hi-1 (reflectors applied within that range), pairwise.
  (func (export "qrFactorRange") (param $n i32) (param $z i32) (param $lo i32) (param $hi i32) (param $tau i32) (param $rd i32)
    (local $j i32) (local $t0 f64)
    (local.set $j (local.get $lo))
    (block $done (loop $l
      (br_if $done (i32.ge_s (local.get $j) (local.get $hi)))
      (call $makeReflector (local.get $n) (local.get $z) (local.get $j) (local.get $tau) (local.get $rd))
      (if (i32.lt_s (i32.add (local.get $j) (i32.const 1)) (local.get $hi))
        (then
          (local.set $t0 (f64.load (i32.add (local.get $tau) (i32.shl (local.get $j) (i32.const 3)))))
          (if (f64.ne (local.get $t0) (f64.const 0))
            (then (call $applyReflector (local.get $n) (local.get $z) (local.get $j) (local.get $t0) (local.get $z)
                    (i32.add (local.get $j) (i32.const 1)) (i32.add (local.get $j) (i32.const 2)))))
          (call $makeReflector (local.get $n) (local.get $z) (i32.add (local.get $j) (i32.const 1)) (local.get $tau) (local.get $rd))
          (if (i32.lt_s (i32.add (local.get $j) (i32.const 2)) (local.get $hi))
            (then (call $applyPair (local.get $n) (local.get $z) (local.get $j) (local.get $t0)
                    (f64.load offset=8 (i32.add (local.get $tau) (i32.shl (local.get $j) (i32.const 3))))
                    (local.get $z) (i32.add (local.get $j) (i32.const 2)) (local.get $hi) (i32.const 1))))
          (local.set $j (i32.add (local.get $j) (i32.const 2))))
        (else (local.set $j (i32.add (local.get $j) (i32.const 1)))))
      (br $l))))

  ;; Unblocked dorg2r on columns lo..hi-1 (their reflectors, applied within that range), pairwise.
  (func (export "qrFormRange") (param $n i32) (param $z i32) (param $lo i32) (param $hi i32) (param $tau i32)
    (local $i i32) (local $p i32) (local $tp f64)
    (call $formColumn (local.get $n) (local.get $z)
      (f64.load (i32.add (local.get $tau) (i32.shl (i32.sub (local.get $hi) (i32.const 1)) (i32.const 3))))
      (i32.sub (local.get $hi) (i32.const 1)))
    (local.set $i (i32.sub (local.get $hi) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.lt_s (local.get $i) (i32.add (local.get $lo) (i32.const 1))))
      (local.set $p (i32.sub (local.get $i) (i32.const 1)))
      (local.set $tp (f64.load (i32.add (local.get $tau) (i32.shl (local.get $p) (i32.const 3)))))
      (if (i32.lt_s (i32.add (local.get $p) (i32.const 2)) (local.get $hi))
        (then (call $applyPair (local.get $n) (local.get $z) (local.get $p) (local.get $tp)
                (f64.load offset=8 (i32.add (local.get $tau) (i32.shl (local.get $p) (i32.const 3))))
                (local.get $z) (i32.add (local.get $p) (i32.const 2)) (local.get $hi) (i32.const 0))))
      (call $formColumn (local.get $n) (local.get $z)
        (f64.load offset=8 (i32.add (local.get $tau) (i32.shl (local.get $p) (i32.const 3))))
        (i32.add (local.get $p) (i32.const 1)))
      (if (f64.ne (local.get $tp) (f64.const 0))
        (then (call $applyReflector (local.get $n) (local.get $z) (local.get $p) (local.get $tp) (local.get $z)
                (i32.add (local.get $p) (i32.const 1)) (i32.add (local.get $p) (i32.const 2)))))
      (call $formColumn (local.get $n) (local.get $z) (local.get $tp) (local.get $p))
      (local.set $i (i32.sub (local.get $i) (i32.const 2)))
      (br $l)))
    (if (i32.eq (local.get $i) (local.get $lo))
      (then
        (local.set $tp (f64.load (i32.add (local.get $tau) (i32.shl (local.get $lo) (i32.const 3)))))
        (if (i32.and (i32.gt_s (local.get $hi) (i32.add (local.get $lo) (i32.const 1))) (f64.ne (local.get $tp) (f64.const 0)))
          (then (call $applyReflector (local.get $n) (local.get $z) (local.get $lo) (local.get $tp) (local.get $z)
                  (i32.add (local.get $lo) (i32.const 1)) (local.get $hi))))
        (call $formColumn (local.get $n) (local.get $z) (local.get $tp) (local.get $lo)))))
)

;; WebAssembly SIMD (128-bit) gemm kernels for rnn-lyap (source of src/core/wasm/gemm-wasm.ts).
;; Regenerate the embedded bytes after editing: `node scripts/build-wasm.mjs`.
;;
;; The JS driver (gemm-driver.ts) copies the float32 or float64 operands into this module's memory,
;; calls `pack`/`pack64` for blocks of op(A) and op(B), then `kernel` for each block, and copies C
;; out. The numerics are those of the pure-JS kernel in gemm.ts, operation for operation: operands
;; are converted to float64 exactly, each C entry is the float64 sum Σ_p a_ip·b_pj taken in order
;; p = 0..k-1 (separate multiply and add, no FMA), then fl(alpha·acc + beta·C_old) (or fl(alpha·acc)
;; when beta = 0), rounded to float32 for float32 C. So both backends give bit-identical results.
(module
  (memory (export "mem") 1)

  ;; pack: writes panels of 4 rows of the float32 matrix M (rows × k), M[i,p] = src[i*rs + p*cs]
  ;; (element strides), for rows r0 .. r0+count-1 (count a multiple of 4), as float64: panel q holds,
  ;; for p = 0..k-1, the 4 values M[r0+4q .. r0+4q+3, p]. Rows i >= rows are written as 0.
  ;; src and dst are byte addresses.
  (func (export "pack")
    (param $src i32) (param $rs i32) (param $cs i32) (param $rows i32) (param $k i32)
    (param $r0 i32) (param $count i32) (param $dst i32)
    (local $i i32) (local $iend i32) (local $p i32) (local $addr i32) (local $rs4 i32) (local $cs4 i32)
    (local $ii i32)
    (local.set $rs4 (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $cs4 (i32.shl (local.get $cs) (i32.const 2)))
    (local.set $i (local.get $r0))
    (local.set $iend (i32.add (local.get $r0) (local.get $count)))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_s (local.get $i) (local.get $iend)))
        (if (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $rows))
          (then
            ;; full panel
            (local.set $addr (i32.add (local.get $src)
              (i32.shl (i32.mul (local.get $i) (local.get $rs)) (i32.const 2))))
            (local.set $p (i32.const 0))
            (loop $pfull
              (f64.store (local.get $dst) (f64.promote_f32 (f32.load (local.get $addr))))
              (f64.store offset=8 (local.get $dst)
                (f64.promote_f32 (f32.load (i32.add (local.get $addr) (local.get $rs4)))))
              (f64.store offset=16 (local.get $dst)
                (f64.promote_f32 (f32.load (i32.add (local.get $addr) (i32.shl (local.get $rs4) (i32.const 1))))))
              (f64.store offset=24 (local.get $dst)
                (f64.promote_f32 (f32.load (i32.add (local.get $addr) (i32.mul (local.get $rs4) (i32.const 3))))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $addr (i32.add (local.get $addr) (local.get $cs4)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $pfull (i32.lt_s (local.get $p) (local.get $k)))))
          (else
            ;; edge panel: rows past the matrix edge are zero
            (local.set $p (i32.const 0))
            (loop $pedge
              (local.set $ii (i32.const 0))
              (loop $rowsedge
                (f64.store (local.get $dst)
                  (if (result f64) (i32.lt_s (i32.add (local.get $i) (local.get $ii)) (local.get $rows))
                    (then (f64.promote_f32 (f32.load (i32.add (local.get $src) (i32.shl
                      (i32.add (i32.mul (i32.add (local.get $i) (local.get $ii)) (local.get $rs))
                               (i32.mul (local.get $p) (local.get $cs)))
                      (i32.const 2))))))
                    (else (f64.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
                (br_if $rowsedge (i32.lt_s (local.get $ii) (i32.const 4))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $pedge (i32.lt_s (local.get $p) (local.get $k))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $panels))))

  ;; pack64: the same for a float64 matrix M (element strides rs, cs; 8-byte elements), copied exactly
  ;; (i64 load reinterpreted, so the bits, NaN payloads included, are kept).
  (func (export "pack64")
    (param $src i32) (param $rs i32) (param $cs i32) (param $rows i32) (param $k i32)
    (param $r0 i32) (param $count i32) (param $dst i32)
    (local $i i32) (local $iend i32) (local $p i32) (local $addr i32) (local $rs4 i32) (local $cs4 i32)
    (local $ii i32)
    (local.set $rs4 (i32.shl (local.get $rs) (i32.const 3)))
    (local.set $cs4 (i32.shl (local.get $cs) (i32.const 3)))
    (local.set $i (local.get $r0))
    (local.set $iend (i32.add (local.get $r0) (local.get $count)))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_s (local.get $i) (local.get $iend)))
        (if (i32.le_s (i32.add (local.get $i) (i32.const 4)) (local.get $rows))
          (then
            ;; full panel
            (local.set $addr (i32.add (local.get $src)
              (i32.shl (i32.mul (local.get $i) (local.get $rs)) (i32.const 3))))
            (local.set $p (i32.const 0))
            (loop $pfull
              (f64.store (local.get $dst) (f64.reinterpret_i64 (i64.load (local.get $addr))))
              (f64.store offset=8 (local.get $dst)
                (f64.reinterpret_i64 (i64.load (i32.add (local.get $addr) (local.get $rs4)))))
              (f64.store offset=16 (local.get $dst)
                (f64.reinterpret_i64 (i64.load (i32.add (local.get $addr) (i32.shl (local.get $rs4) (i32.const 1))))))
              (f64.store offset=24 (local.get $dst)
                (f64.reinterpret_i64 (i64.load (i32.add (local.get $addr) (i32.mul (local.get $rs4) (i32.const 3))))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
              (local.set $addr (i32.add (local.get $addr) (local.get $cs4)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $pfull (i32.lt_s (local.get $p) (local.get $k)))))
          (else
            ;; edge panel: rows past the matrix edge are zero
            (local.set $p (i32.const 0))
            (loop $pedge
              (local.set $ii (i32.const 0))
              (loop $rowsedge
                (f64.store (local.get $dst)
                  (if (result f64) (i32.lt_s (i32.add (local.get $i) (local.get $ii)) (local.get $rows))
                    (then (f64.reinterpret_i64 (i64.load (i32.add (local.get $src) (i32.shl
                      (i32.add (i32.mul (i32.add (local.get $i) (local.get $ii)) (local.get $rs))
                               (i32.mul (local.get $p) (local.get $cs)))
                      (i32.const 3))))))
                    (else (f64.const 0))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
                (br_if $rowsedge (i32.lt_s (local.get $ii) (i32.const 4))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $pedge (i32.lt_s (local.get $p) (local.get $k))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $panels))))

  ;; kernel: for a packed block of op(A) (mc rows, at ap) and of op(B) (nc columns, at bp), mc and nc
  ;; multiples of 4, k >= 1, acc_ij = s_ij + Σ_p A[i,p]·B[p,j] in float64, in order p = 0..k-1, where
  ;; s_ij = 0 when mode bit 0 is clear, else the float64 partial sum stored at byte address acc (row
  ;; stride ldacc elements) by the previous block of the inner dimension. Then, when mode bit 1 is set,
  ;; C[i, j] = fl32(alpha·acc_ij + beta·C[i, j]) (beta = 0: fl32(alpha·acc_ij)), C float32 at byte
  ;; address c with row stride ldc elements; otherwise acc_ij is stored back at acc for the next block.
  ;; 4×4 tiles, 8 f64x2 accumulators (row r, columns 0-1 and 2-3).
  (func (export "kernel")
    (param $k i32) (param $mc i32) (param $nc i32) (param $ap i32) (param $bp i32)
    (param $c i32) (param $ldc i32) (param $alpha f64) (param $beta f64)
    (param $acc i32) (param $ldacc i32) (param $mode i32) (param $c64 i32)
    (local $j i32) (local $i i32) (local $pa i32) (local $pb i32) (local $pb0 i32) (local $end i32)
    (local $panel i32) (local $ct i32) (local $ldc4 i32) (local $row i32) (local $ldacc8 i32)
    (local $av v128) (local $bv v128) (local $b01 v128) (local $b23 v128) (local $a v128)
    (local $c00 v128) (local $c02 v128) (local $c10 v128) (local $c12 v128)
    (local $c20 v128) (local $c22 v128) (local $c30 v128) (local $c32 v128)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $bv (f64x2.splat (local.get $beta)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $ldacc8 (i32.shl (local.get $ldacc) (i32.const 3)))
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (local.set $j (i32.const 0))
    (loop $cols
      (local.set $pb0 (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $j) (i32.const 2)) (local.get $panel))))
      (local.set $i (i32.const 0))
      (loop $rows
       (block $next
        (local.set $pa (i32.add (local.get $ap) (i32.mul (i32.shr_u (local.get $i) (i32.const 2)) (local.get $panel))))
        (local.set $end (i32.add (local.get $pa) (local.get $panel)))
        (local.set $pb (local.get $pb0))
        (if (i32.and (local.get $mode) (i32.const 1))
          (then
            ;; continue from the stored partial sums of this tile
            (local.set $row (i32.add (local.get $acc)
              (i32.add (i32.mul (local.get $i) (local.get $ldacc8)) (i32.shl (local.get $j) (i32.const 3)))))
            (local.set $c00 (v128.load (local.get $row))) (local.set $c02 (v128.load offset=16 (local.get $row)))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (local.set $c10 (v128.load (local.get $row))) (local.set $c12 (v128.load offset=16 (local.get $row)))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (local.set $c20 (v128.load (local.get $row))) (local.set $c22 (v128.load offset=16 (local.get $row)))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (local.set $c30 (v128.load (local.get $row))) (local.set $c32 (v128.load offset=16 (local.get $row))))
          (else
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c02 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0)) (local.set $c12 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0)) (local.set $c22 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0)) (local.set $c32 (v128.const i64x2 0 0))))
        (loop $inner
          (local.set $b01 (v128.load (local.get $pb)))
          (local.set $b23 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load64_splat (local.get $pa)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b01))))
          (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $a) (local.get $b23))))
          (local.set $a (v128.load64_splat offset=8 (local.get $pa)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b01))))
          (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $a) (local.get $b23))))
          (local.set $a (v128.load64_splat offset=16 (local.get $pa)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b01))))
          (local.set $c22 (f64x2.add (local.get $c22) (f64x2.mul (local.get $a) (local.get $b23))))
          (local.set $a (v128.load64_splat offset=24 (local.get $pa)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b01))))
          (local.set $c32 (f64x2.add (local.get $c32) (f64x2.mul (local.get $a) (local.get $b23))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $inner (i32.lt_u (local.get $pa) (local.get $end))))
        (if (i32.eqz (i32.and (local.get $mode) (i32.const 2)))
          (then
            ;; not the last block of the inner dimension: store the partial sums
            (local.set $row (i32.add (local.get $acc)
              (i32.add (i32.mul (local.get $i) (local.get $ldacc8)) (i32.shl (local.get $j) (i32.const 3)))))
            (v128.store (local.get $row) (local.get $c00)) (v128.store offset=16 (local.get $row) (local.get $c02))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (v128.store (local.get $row) (local.get $c10)) (v128.store offset=16 (local.get $row) (local.get $c12))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (v128.store (local.get $row) (local.get $c20)) (v128.store offset=16 (local.get $row) (local.get $c22))
            (local.set $row (i32.add (local.get $row) (local.get $ldacc8)))
            (v128.store (local.get $row) (local.get $c30)) (v128.store offset=16 (local.get $row) (local.get $c32))
            (br $next)))
        (if (local.get $c64)
          (then
            ;; float64 C (row stride ldc elements of 8 bytes): C = alpha·acc + beta·C, no rounding
            (local.set $row (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (i32.shl (local.get $ldc4) (i32.const 1))) (i32.shl (local.get $j) (i32.const 3)))))
            (call $update64 (local.get $row) (local.get $c00) (local.get $c02) (local.get $av) (local.get $bv) (local.get $beta))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $ldc4) (i32.const 1))))
            (call $update64 (local.get $row) (local.get $c10) (local.get $c12) (local.get $av) (local.get $bv) (local.get $beta))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $ldc4) (i32.const 1))))
            (call $update64 (local.get $row) (local.get $c20) (local.get $c22) (local.get $av) (local.get $bv) (local.get $beta))
            (local.set $row (i32.add (local.get $row) (i32.shl (local.get $ldc4) (i32.const 1))))
            (call $update64 (local.get $row) (local.get $c30) (local.get $c32) (local.get $av) (local.get $bv) (local.get $beta))
            (br $next)))
        ;; write the tile: row r at ct + r·ldc4
        (local.set $ct (i32.add (local.get $c)
          (i32.add (i32.mul (local.get $i) (local.get $ldc4)) (i32.shl (local.get $j) (i32.const 2)))))
        (if (f64.eq (local.get $beta) (f64.const 0))
          (then
            (v128.store (local.get $ct) (call $pack2
              (f64x2.mul (local.get $av) (local.get $c00)) (f64x2.mul (local.get $av) (local.get $c02))))
            (local.set $row (i32.add (local.get $ct) (local.get $ldc4)))
            (v128.store (local.get $row) (call $pack2
              (f64x2.mul (local.get $av) (local.get $c10)) (f64x2.mul (local.get $av) (local.get $c12))))
            (local.set $row (i32.add (local.get $row) (local.get $ldc4)))
            (v128.store (local.get $row) (call $pack2
              (f64x2.mul (local.get $av) (local.get $c20)) (f64x2.mul (local.get $av) (local.get $c22))))
            (local.set $row (i32.add (local.get $row) (local.get $ldc4)))
            (v128.store (local.get $row) (call $pack2
              (f64x2.mul (local.get $av) (local.get $c30)) (f64x2.mul (local.get $av) (local.get $c32)))))
          (else
            (call $update (local.get $ct) (local.get $c00) (local.get $c02) (local.get $av) (local.get $bv))
            (local.set $row (i32.add (local.get $ct) (local.get $ldc4)))
            (call $update (local.get $row) (local.get $c10) (local.get $c12) (local.get $av) (local.get $bv))
            (local.set $row (i32.add (local.get $row) (local.get $ldc4)))
            (call $update (local.get $row) (local.get $c20) (local.get $c22) (local.get $av) (local.get $bv))
            (local.set $row (i32.add (local.get $row) (local.get $ldc4)))
            (call $update (local.get $row) (local.get $c30) (local.get $c32) (local.get $av) (local.get $bv)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $rows (i32.lt_u (local.get $i) (local.get $mc))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br_if $cols (i32.lt_u (local.get $j) (local.get $nc)))))

  ;; C[0..3] at addr (float64) = alpha·[acc01, acc23] + beta·C[0..3] (beta = 0: alpha·acc, C not read)
  (func $update64 (param $addr i32) (param $acc01 v128) (param $acc23 v128) (param $av v128) (param $bv v128) (param $beta f64)
    (if (f64.eq (local.get $beta) (f64.const 0))
      (then
        (v128.store (local.get $addr) (f64x2.mul (local.get $av) (local.get $acc01)))
        (v128.store offset=16 (local.get $addr) (f64x2.mul (local.get $av) (local.get $acc23))))
      (else
        (v128.store (local.get $addr) (f64x2.add (f64x2.mul (local.get $av) (local.get $acc01))
          (f64x2.mul (local.get $bv) (v128.load (local.get $addr)))))
        (v128.store offset=16 (local.get $addr) (f64x2.add (f64x2.mul (local.get $av) (local.get $acc23))
          (f64x2.mul (local.get $bv) (v128.load offset=16 (local.get $addr))))))))

  ;; [x0, x1] and [x2, x3] (float64) -> [fl32 x0, fl32 x1, fl32 x2, fl32 x3]
  (func $pack2 (param $lo v128) (param $hi v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo))
      (f32x4.demote_f64x2_zero (local.get $hi))))

  ;; C[0..3] at addr (float32) = fl32(alpha·[acc01, acc23] + beta·C[0..3]), each in float64
  (func $update (param $addr i32) (param $acc01 v128) (param $acc23 v128) (param $av v128) (param $bv v128)
    (v128.store (local.get $addr) (call $pack2
      (f64x2.add (f64x2.mul (local.get $av) (local.get $acc01))
                 (f64x2.mul (local.get $bv) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $addr)))))
      (f64x2.add (f64x2.mul (local.get $av) (local.get $acc23))
                 (f64x2.mul (local.get $bv) (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $addr))))))))
)

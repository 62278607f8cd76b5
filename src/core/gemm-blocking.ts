/**
 * The blocking of the packed gemm, shared by the JavaScript kernel (gemm.ts) and the WebAssembly
 * driver (wasm/gemm-driver.ts), so both cut a product into the same tiles and panels. @internal
 */

/** Rows of op(A) per micro-tile. */
export const MR = 4;
/** Columns of op(B) per micro-tile. */
export const NR = 4;
/** Doubles allowed for the packed block of op(A) (MC×k) before MC shrinks (512 KiB). */
export const A_BUDGET = 1 << 16;
/** Doubles allowed for the packed block of op(B) (k×NC) before NC shrinks (1 MiB, about L2). */
export const B_BUDGET = 1 << 17;
/** Largest block of rows of op(A) packed at once. */
export const MC_MAX = 64;
/** Largest block of columns of op(B) packed at once. */
export const NC_MAX = 512;

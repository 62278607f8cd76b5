/**
 * Space-partitioning tree for Barnes–Hut t-SNE (van der Maaten 2014): a binary tree in 1-D, a
 * quadtree in 2-D, an octree in 3-D, stored in flat typed arrays that are reused from one iteration
 * to the next. Each node keeps its point count and centre of mass; a cell whose width w satisfies
 * w / ‖y_i − com‖ < θ is summarized by its centre of mass (the criterion of bhtsne and scikit-learn).
 *
 * Identical points share one leaf (a linked list of point indices), so duplicates are handled
 * exactly and the tree depth stays bounded; the point itself is removed from its own leaf when its
 * repulsion is summed.
 */

const MAX_DEPTH = 64;

/** A reusable tree for `n` points in `dims` ∈ {1, 2, 3} dimensions. */
export interface SpTree {
  readonly dims: number;
  readonly n: number;
  nNodes: number;
  cap: number;
  center: Float64Array;
  half: Float64Array;
  com: Float64Array;
  count: Int32Array;
  firstChild: Int32Array;
  head: Int32Array;
  depth: Int32Array;
  readonly next: Int32Array;
  readonly leafOf: Int32Array;
  stack: Int32Array;
  /** Scratch of the packed traversal: node records, renumbering, BFS queue, point order. */
  packed: Float64Array;
  newId: Int32Array;
  queue: Int32Array;
  order: Int32Array;
}

/** Allocates a tree for n points in dims dimensions. */
export function createSpTree(n: number, dims: number): SpTree {
  if (dims < 1 || dims > 3) throw new RangeError(`Barnes–Hut tree: dims must be 1, 2 or 3, got ${dims}`);
  const cap = Math.max(16, 2 * n * (1 << dims));
  return {
    dims, n, nNodes: 0, cap,
    center: new Float64Array(cap * dims),
    half: new Float64Array(cap),
    com: new Float64Array(cap * dims),
    count: new Int32Array(cap),
    firstChild: new Int32Array(cap),
    head: new Int32Array(cap),
    depth: new Int32Array(cap),
    next: new Int32Array(n),
    leafOf: new Int32Array(n),
    stack: new Int32Array(MAX_DEPTH * (1 << dims) + 8),
    packed: new Float64Array(0),
    newId: new Int32Array(0),
    queue: new Int32Array(0),
    order: new Int32Array(n),
  };
}

function grow(t: SpTree, need: number): void {
  if (need <= t.cap) return;
  let cap = t.cap;
  while (cap < need) cap *= 2;
  const D = t.dims;
  const f64 = (a: Float64Array, m: number): Float64Array => { const b = new Float64Array(cap * m); b.set(a); return b; };
  const i32 = (a: Int32Array): Int32Array => { const b = new Int32Array(cap); b.set(a); return b; };
  t.center = f64(t.center, D);
  t.half = f64(t.half, 1);
  t.com = f64(t.com, D);
  t.count = i32(t.count);
  t.firstChild = i32(t.firstChild);
  t.head = i32(t.head);
  t.depth = i32(t.depth);
  t.cap = cap;
}

function initNode(t: SpTree, node: number, depth: number): void {
  const D = t.dims;
  t.count[node] = 0;
  t.firstChild[node] = -1;
  t.head[node] = -1;
  t.depth[node] = depth;
  for (let k = 0; k < D; k++) t.com[node * D + k] = 0;
}

/** Builds the tree over the rows of Y (row-major n×dims). */
export function buildSpTree(t: SpTree, Y: Float64Array): void {
  const D = t.dims;
  const n = t.n;
  const nc = 1 << D;
  t.nNodes = 1;
  initNode(t, 0, 0);
  let maxHalf = 0;
  for (let k = 0; k < D; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = Y[i * D + k];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    t.center[k] = (lo + hi) / 2;
    maxHalf = Math.max(maxHalf, (hi - lo) / 2);
  }
  t.half[0] = maxHalf * (1 + 1e-6) + 1e-12;
  const { next, leafOf } = t;
  for (let p = 0; p < n; p++) {
    const po = p * D;
    let node = 0;
    for (;;) {
      const cnt = t.count[node];
      t.count[node] = cnt + 1;
      for (let k = 0; k < D; k++) t.com[node * D + k] += Y[po + k];
      if (t.firstChild[node] < 0) {
        if (cnt === 0) {
          t.head[node] = p;
          next[p] = -1;
          leafOf[p] = node;
          break;
        }
        const q = t.head[node];
        const qo = q * D;
        let same = true;
        for (let k = 0; k < D; k++) if (Y[qo + k] !== Y[po + k]) { same = false; break; }
        if (same || t.depth[node] >= MAX_DEPTH) {
          next[p] = q;
          t.head[node] = p;
          leafOf[p] = node;
          break;
        }
        // split: the leaf's existing points (all at Y_q) move into one child
        grow(t, t.nNodes + nc);
        const fc = t.nNodes;
        t.nNodes += nc;
        t.firstChild[node] = fc;
        const h = t.half[node] / 2;
        const dep = t.depth[node] + 1;
        for (let c = 0; c < nc; c++) {
          const ch = fc + c;
          initNode(t, ch, dep);
          t.half[ch] = h;
          for (let k = 0; k < D; k++) {
            t.center[ch * D + k] = t.center[node * D + k] + ((c >> k) & 1 ? h : -h);
          }
        }
        let cq = 0;
        for (let k = 0; k < D; k++) if (Y[qo + k] >= t.center[node * D + k]) cq |= 1 << k;
        const chq = fc + cq;
        t.count[chq] = cnt;
        for (let k = 0; k < D; k++) t.com[chq * D + k] = cnt * Y[qo + k];
        t.head[chq] = q;
        for (let r = q; r >= 0; r = next[r]) leafOf[r] = chq;
        t.head[node] = -1;
      }
      let cp = 0;
      const fc = t.firstChild[node];
      for (let k = 0; k < D; k++) if (Y[po + k] >= t.center[node * D + k]) cp |= 1 << k;
      node = fc + cp;
    }
  }
  // sums → centres of mass
  for (let node = 0; node < t.nNodes; node++) {
    const c = t.count[node];
    if (c > 0) for (let k = 0; k < D; k++) t.com[node * D + k] /= c;
  }
}

/**
 * Repulsive forces by Barnes–Hut. For every point i accumulates into `neg` (n×dims, overwritten)
 * Σ_j w_ij u_ij (y_i − y_j) and returns Z = Σ_{i≠j} w_ij, with u = 1/(1 + d²/α) and
 * w = u^{(α+1)/2} (the Student-t kernel with α degrees of freedom).
 */
export function spTreeRepulsion(t: SpTree, Y: Float64Array, theta: number, alpha: number, neg: Float64Array): number {
  if (t.dims === 2) return repulsion2(t, Y, theta, alpha, neg);
  if (t.dims === 3) return repulsion3(t, Y, theta, alpha, neg);
  const D = t.dims;
  const n = t.n;
  const theta2 = theta * theta;
  const expo = (alpha + 1) / 2;
  const invAlpha = 1 / alpha;
  const { stack, count, firstChild, com, half, leafOf } = t;
  const nc = 1 << D;
  let Z = 0;
  const yi = new Float64Array(D);
  const f = new Float64Array(D);
  const cm = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < D; k++) { yi[k] = Y[i * D + k]; f[k] = 0; }
    const self = leafOf[i];
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const node = stack[--sp];
      let c = count[node];
      if (c === 0) continue;
      let d2 = 0;
      const leaf = firstChild[node] < 0;
      if (leaf && node === self) {
        c -= 1;
        if (c === 0) continue;
        for (let k = 0; k < D; k++) {
          cm[k] = ((c + 1) * com[node * D + k] - yi[k]) / c;
          const dk = yi[k] - cm[k];
          d2 += dk * dk;
        }
      } else {
        for (let k = 0; k < D; k++) {
          cm[k] = com[node * D + k];
          const dk = yi[k] - cm[k];
          d2 += dk * dk;
        }
        if (!leaf) {
          const w = 2 * half[node];
          if (w * w >= theta2 * d2) {
            const fc = firstChild[node];
            for (let ch = 0; ch < nc; ch++) if (count[fc + ch] > 0) stack[sp++] = fc + ch;
            continue;
          }
        }
      }
      const u = 1 / (1 + d2 * invAlpha);
      const w = alpha === 1 ? u : Math.pow(u, expo);
      Z += c * w;
      const mult = c * w * u;
      for (let k = 0; k < D; k++) f[k] += mult * (yi[k] - cm[k]);
    }
    for (let k = 0; k < D; k++) neg[i * D + k] = f[k];
  }
  return Z;
}


/**
 * The 2-D case of {@link spTreeRepulsion} (the hot loop of t-SNE). The tree is first repacked in
 * breadth-first order into one record per node, [com x, com y, count, width², first child, number
 * of children] with empty children dropped and siblings adjacent, and the points are visited in the
 * depth-first order of their leaves, so that consecutive traversals touch the same records.
 */
function repulsion2(t: SpTree, Y: Float64Array, theta: number, alpha: number, neg: Float64Array): number {
  const n = t.n;
  const R = 6;
  repack(t, R);
  const { packed: rec, leafOf, stack, newId, order } = t;
  let sp = 0;
  const theta2 = theta * theta;
  const invAlpha = 1 / alpha;
  const expo = (alpha + 1) / 2;
  const studentOne = alpha === 1;
  let Z = 0;
  for (let q = 0; q < n; q++) {
    const i = order[q];
    const xi = Y[2 * i], yi = Y[2 * i + 1];
    const self = newId[leafOf[i]];
    let fx = 0, fy = 0, z = 0;
    sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const id = stack[--sp];
      const o = id * R;
      let c = rec[o + 2];
      let cx = rec[o], cy = rec[o + 1];
      const f0 = rec[o + 4];
      if (f0 < 0) {
        if (id === self) {
          c -= 1;
          if (c === 0) continue;
          cx = ((c + 1) * cx - xi) / c;
          cy = ((c + 1) * cy - yi) / c;
        }
      }
      const dx = xi - cx, dy = yi - cy;
      const d2 = dx * dx + dy * dy;
      if (f0 >= 0 && rec[o + 3] >= theta2 * d2) {
        const k = rec[o + 5];
        for (let ch = 0; ch < k; ch++) stack[sp++] = f0 + ch;
        continue;
      }
      const u = 1 / (1 + d2 * invAlpha);
      const w = studentOne ? u : Math.pow(u, expo);
      z += c * w;
      const mult = c * w * u;
      fx += mult * dx;
      fy += mult * dy;
    }
    neg[2 * i] = fx;
    neg[2 * i + 1] = fy;
    Z += z;
  }
  return Z;
}

/**
 * Repacks the tree breadth-first into records of `R` doubles ([com…, count, width², first child,
 * number of children], empty children dropped, siblings adjacent) and lists the points in
 * depth-first leaf order (into the tree's scratch arrays).
 */
function repack(t: SpTree, R: number): void {
  const D = t.dims;
  const nc = 1 << D;
  const { count, firstChild, com, half, head, next } = t;
  if (t.packed.length < t.nNodes * R) t.packed = new Float64Array(t.nNodes * R);
  if (t.newId.length < t.nNodes) t.newId = new Int32Array(t.nNodes);
  if (t.queue.length < t.nNodes) t.queue = new Int32Array(t.nNodes);
  const { packed: rec, newId, queue, order } = t;
  let qh = 0, qt = 0, ids = 1;
  queue[qt++] = 0;
  newId[0] = 0;
  while (qh < qt) {
    const node = queue[qh++];
    const o = newId[node] * R;
    const h = 2 * half[node];
    for (let k = 0; k < D; k++) rec[o + k] = com[D * node + k];
    rec[o + D] = count[node];
    rec[o + D + 1] = h * h;
    const f0 = firstChild[node];
    if (f0 < 0) {
      rec[o + D + 2] = -1;
      rec[o + D + 3] = 0;
      continue;
    }
    rec[o + D + 2] = ids;
    let kids = 0;
    for (let ch = f0; ch < f0 + nc; ch++) {
      if (count[ch] > 0) {
        newId[ch] = ids++;
        queue[qt++] = ch;
        kids++;
      }
    }
    rec[o + D + 3] = kids;
  }
  let np = 0;
  const stack = t.stack;
  let sp = 0;
  stack[sp++] = 0;
  while (sp > 0) {
    const node = stack[--sp];
    const f0 = firstChild[node];
    if (f0 < 0) {
      for (let p = head[node]; p >= 0; p = next[p]) order[np++] = p;
      continue;
    }
    for (let ch = f0 + nc - 1; ch >= f0; ch--) if (count[ch] > 0) stack[sp++] = ch;
  }
}

/** The 3-D case of {@link spTreeRepulsion} (packed octree, locals only). */
function repulsion3(t: SpTree, Y: Float64Array, theta: number, alpha: number, neg: Float64Array): number {
  const n = t.n;
  const R = 7;
  repack(t, R);
  const { packed: rec, leafOf, stack, newId, order } = t;
  const theta2 = theta * theta;
  const invAlpha = 1 / alpha;
  const expo = (alpha + 1) / 2;
  let Z = 0;
  for (let q = 0; q < n; q++) {
    const i = order[q];
    const xi = Y[3 * i], yi = Y[3 * i + 1], zi = Y[3 * i + 2];
    const self = newId[leafOf[i]];
    let fx = 0, fy = 0, fz = 0, z = 0;
    let sp = 0;
    stack[sp++] = 0;
    while (sp > 0) {
      const id = stack[--sp];
      const o = id * R;
      let c = rec[o + 3];
      let cx = rec[o], cy = rec[o + 1], cz = rec[o + 2];
      const f0 = rec[o + 5];
      if (f0 < 0 && id === self) {
        c -= 1;
        if (c === 0) continue;
        cx = ((c + 1) * cx - xi) / c;
        cy = ((c + 1) * cy - yi) / c;
        cz = ((c + 1) * cz - zi) / c;
      }
      const dx = xi - cx, dy = yi - cy, dz = zi - cz;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (f0 >= 0 && rec[o + 4] >= theta2 * d2) {
        const k = rec[o + 6];
        for (let ch = 0; ch < k; ch++) stack[sp++] = f0 + ch;
        continue;
      }
      const u = 1 / (1 + d2 * invAlpha);
      // α = 2 (the 3-D default): u^{3/2} = u·√u
      const w = expo === 1.5 ? u * Math.sqrt(u) : expo === 1 ? u : Math.pow(u, expo);
      z += c * w;
      const mult = c * w * u;
      fx += mult * dx;
      fy += mult * dy;
      fz += mult * dz;
    }
    neg[3 * i] = fx;
    neg[3 * i + 1] = fy;
    neg[3 * i + 2] = fz;
    Z += z;
  }
  return Z;
}

/**
 * SASRec's tfjs graph: the encoder of `forward.ts` over a left-padded batch (B × L, item index
 * + 1, 0 = padding) with dropout after the embedding, on the attention weights and after each
 * feed-forward layer (Kang & McAuley's code), and the cross-entropy over shared candidates.
 * Dense products go through `mm`/`bmm` (plain kernels in the gradient).
 */
import { bmm, mm, tf } from '../../neural/index.js';
import { LN_EPS } from './forward.js';

export type SasVars = Record<string, tf.Variable>;

export const BLOCK_KEYS = [
  'ln1G',
  'ln1B',
  'wq',
  'bq',
  'wk',
  'bk',
  'wv',
  'bv',
  'ln2G',
  'ln2B',
  'w1',
  'b1',
  'w2',
  'b2',
] as const;

function layerNorm(x: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, 1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, LN_EPS))), g), b) as tf.Tensor2D;
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(mm(x, w as tf.Tensor2D), b) as tf.Tensor2D;
}

export interface EncodeInput {
  /** B × L item ids + 1 (0 = padding), left-padded. */
  ids: Int32Array;
  B: number;
  L: number;
  maxLen: number;
  d: number;
  nBlocks: number;
  /** Dropout rate (0 at inference). */
  dropout: number;
  /** Seeds of the dropout masks. */
  seed: () => number;
}

/** Encoder output, (B·L) × d rows in batch-major order. */
export function encode(v: SasVars, inp: EncodeInput): tf.Tensor2D {
  const { B, L, d, dropout } = inp;
  const drop = (x: tf.Tensor): tf.Tensor => (dropout > 0 ? tf.dropout(x, dropout, undefined, inp.seed()) : x);
  const idsT = tf.tensor1d(inp.ids, 'int32');
  const maskA = Float32Array.from(inp.ids, (i) => (i > 0 ? 1 : 0));
  const mask = tf.tensor2d(maskA, [B * L, 1]);
  // additive attention mask: query t sees keys s ≤ t that are not padding
  const addA = new Float32Array(B * L * L);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++)
      for (let s = 0; s < L; s++) addA[(b * L + t) * L + s] = s <= t && maskA[b * L + s] > 0 ? 0 : -1e9;
  const addMask = tf.tensor3d(addA, [B, L, L]);
  const pos = tf.slice(v.pos, [inp.maxLen - L, 0], [L, d]);
  let x = tf.add(tf.reshape(tf.mul(tf.gather(v.emb, idsT), Math.sqrt(d)), [B, L, d]), pos);
  x = tf.mul(tf.reshape(drop(x), [B * L, d]), mask) as tf.Tensor2D;
  let x2 = x as tf.Tensor2D;
  for (let k = 0; k < inp.nBlocks; k++) {
    const w = (n: string): tf.Variable => v[`b${k}.${n}`];
    const q = layerNorm(x2, w('ln1G'), w('ln1B'));
    const Q = tf.reshape(dense(q, w('wq'), w('bq')), [B, L, d]) as tf.Tensor3D;
    const K = tf.reshape(dense(x2, w('wk'), w('bk')), [B, L, d]) as tf.Tensor3D;
    const V = tf.reshape(dense(x2, w('wv'), w('bv')), [B, L, d]) as tf.Tensor3D;
    const scores = tf.add(tf.div(bmm(Q, tf.transpose(K, [0, 2, 1]) as tf.Tensor3D), Math.sqrt(d)), addMask);
    const att = drop(tf.softmax(scores)) as tf.Tensor3D;
    const a = tf.reshape(bmm(att, V), [B * L, d]);
    const x3 = tf.add(q, a) as tf.Tensor2D;
    const f = layerNorm(x3, w('ln2G'), w('ln2B'));
    const h = drop(tf.relu(dense(f, w('w1'), w('b1')))) as tf.Tensor2D;
    const o = drop(dense(h, w('w2'), w('b2')));
    x2 = tf.mul(tf.add(f, o), mask) as tf.Tensor2D;
  }
  return layerNorm(x2, v.lnfG, v.lnfB);
}

/**
 * Mean cross-entropy of the target of every valid position against the shared candidates:
 * logits = [h·E[target], h·E[candidates]] with candidates equal to the target masked out
 * (accidental hits), so with candidates = the whole catalogue this is the full softmax.
 * With `logQ` (log of each item's expected count in the draw, indexed by id + 1) every logit,
 * the target's included, is reduced by it: the sampled-softmax correction (Jean et al. 2015;
 * Yi et al. 2019) that makes the loss estimate the full softmax under non-uniform sampling.
 */
export function candidateLoss(
  v: SasVars,
  h: tf.Tensor2D,
  rows: Int32Array,
  targets: Int32Array,
  candidates: Int32Array,
  logQ?: Float32Array,
): tf.Scalar {
  const T = rows.length;
  const N = candidates.length;
  const hv = tf.gather(h, tf.tensor1d(rows, 'int32')) as tf.Tensor2D;
  const et = tf.gather(v.emb, tf.tensor1d(targets, 'int32')) as tf.Tensor2D;
  const pos = tf.sum(tf.mul(hv, et), 1, true);
  const ec = tf.gather(v.emb, tf.tensor1d(candidates, 'int32'));
  const hitA = new Float32Array(T * N);
  for (let t = 0; t < T; t++)
    for (let j = 0; j < N; j++) if (candidates[j] === targets[t]) hitA[t * N + j] = -1e9;
  let neg = tf.add(mm(hv, tf.transpose(ec) as tf.Tensor2D), tf.tensor2d(hitA, [T, N]));
  if (logQ)
    neg = tf.sub(
      neg,
      tf.tensor2d(
        Float32Array.from(candidates, (c) => logQ[c]),
        [1, N],
      ),
    );
  const posC = logQ
    ? tf.sub(
        pos,
        tf.tensor2d(
          Float32Array.from(targets, (x) => logQ[x]),
          [T, 1],
        ),
      )
    : pos;
  const logits = tf.concat([posC, neg], 1);
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.reshape(posC, [T]))) as tf.Scalar;
}

/**
 * The GRU4Rec training graph of one session-parallel mini-batch in tfjs (forward; gradients by
 * tfjs autodiff). Official design (`gru4rec.py` `model`, `bpr_max`, `cross_entropy`):
 * Ex = Wy[input] (constrained embedding) → dropout → GRU layers (hidden dropout; the dropped-out
 * state is also the next state) → O = y·Wy[Y]ᵀ + By[Y] with Y = targets ++ shared samples,
 * row i's positive is column i. BPR-max: −log Σ_j σ(o_ii − o_ij)·s_j + bpreg Σ_j o_ij² s_j with
 * s = softmax over the negatives j ≠ i; cross-entropy: −log softmax(O)_ii (loss and gradient in
 * `losses.ts`). Cost scaled by M/batch.
 */
import { mm, mmKnownTranspose, tf } from '../../neural/index.js';
import type { Gru4RecConfig } from './config.js';
import { lossAndGradient } from './losses.js';

/** GRU weights of one layer (tfjs variables, or the tensors tfjs differentiates). */
export interface LayerVars {
  wx: tf.Tensor;
  wrz: tf.Tensor;
  wh: tf.Tensor;
  bh: tf.Tensor;
}

export interface BatchInputs {
  /** M × d: Wy rows of the inputs. */
  ex: tf.Tensor2D;
  /** d × Ny and Ny × d: Wy rows of targets ++ samples, in both layouts. */
  eyT: tf.Tensor2D;
  ey: tf.Tensor2D;
  /** Ny: By of targets ++ samples. */
  by: tf.Tensor1D;
  /** Hidden state per layer, M × h. */
  hidden: tf.Tensor2D[];
  /** Seeds of the dropout masks (embedding, then one per layer). */
  seeds: number[];
}

/**
 * Builds the loss of one mini-batch from the differentiable inputs; `newHidden` receives the
 * layers' new states (kept tensors, before the session resets).
 */
export function batchLoss(
  cfg: Gru4RecConfig,
  layers: readonly LayerVars[],
  inp: BatchInputs,
  ex: tf.Tensor2D,
  eyT: tf.Tensor2D,
  by: tf.Tensor1D,
  training: boolean,
  newHidden: tf.Tensor2D[],
): tf.Scalar {
  const M = ex.shape[0];
  let y: tf.Tensor2D =
    training && cfg.dropoutEmbed > 0
      ? (tf.dropout(ex, cfg.dropoutEmbed, undefined, inp.seeds[0]) as tf.Tensor2D)
      : ex;
  for (let l = 0; l < layers.length; l++) {
    const H = cfg.layers[l];
    const L = layers[l];
    const hPrev = inp.hidden[l];
    const vec = tf.add(mm(y, L.wx as unknown as tf.Tensor2D), L.bh) as tf.Tensor2D;
    const rz = tf.sigmoid(
      tf.add(tf.slice(vec, [0, H], [M, 2 * H]), mm(hPrev, L.wrz as unknown as tf.Tensor2D)),
    );
    const r = tf.slice(rz, [0, 0], [M, H]);
    const z = tf.slice(rz, [0, H], [M, H]);
    const cand = tf.tanh(
      tf.add(
        mm(tf.mul(hPrev, r) as tf.Tensor2D, L.wh as unknown as tf.Tensor2D),
        tf.slice(vec, [0, 0], [M, H]),
      ),
    );
    let h = tf.add(tf.mul(tf.sub(1, z), hPrev), tf.mul(z, cand)) as tf.Tensor2D;
    if (training && cfg.dropoutHidden > 0)
      h = tf.dropout(h, cfg.dropoutHidden, undefined, inp.seeds[l + 1]) as tf.Tensor2D;
    newHidden[l] = tf.keep(h);
    y = h;
  }
  const o = tf.add(mmKnownTranspose(y, eyT, inp.ey), by) as tf.Tensor2D;
  return scoreLoss(cfg, o);
}

/**
 * The loss of the score matrix as one tfjs op whose forward and gradient are the plain loops of
 * `losses.ts` (one download of M × Ny scores, one upload of their gradient).
 */
function scoreLoss(cfg: Gru4RecConfig, o: tf.Tensor2D): tf.Scalar {
  const [M, Ny] = o.shape;
  const f = tf.customGrad(((x: tf.Tensor) => {
    const g = new Float32Array(M * Ny);
    const cost = lossAndGradient(cfg.loss, x.dataSync() as Float32Array, M, Ny, cfg, g);
    return { value: tf.scalar(cost), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor2d(g, [M, Ny])) };
  }) as never) as unknown as (x: tf.Tensor) => tf.Tensor;
  return f(o) as tf.Scalar;
}

/**
 * Matrix products whose gradients use only plain (non-transposed) products. The tfjs wasm kernel
 * is 10× slower with `transposeA/transposeB` than without (bench/neural/README.md: 0.6 vs 8
 * GFLOP/s for 80×224·224×2128), and the stock gradient of `matMul` uses exactly those flags; here
 * the operands are transposed explicitly (a copy) and multiplied plainly.
 *
 * mm(a, b) = a·b, a [m,k], b [k,n]: dA = dY·bᵀ, dB = aᵀ·dY. bmm does the same per batch [B,·,·].
 */
import { tf } from './tf-backend.js';

const mm2 = tf.customGrad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const mm3 = tf.customGrad((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as tf.Tensor3D[];
      return [
        tf.matMul(dy as tf.Tensor3D, tf.transpose(sb, [0, 2, 1])),
        tf.matMul(tf.transpose(sa, [0, 2, 1]), dy as tf.Tensor3D),
      ];
    },
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** a [m,k] · b [k,n] → [m,n], with a gradient that avoids transposed kernels. */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return mm2(a, b) as tf.Tensor2D;
}

/** Batched a [B,m,k] · b [B,k,n] → [B,m,n], gradient without transposed kernels. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return mm3(a, b) as tf.Tensor3D;
}

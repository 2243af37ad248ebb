/**
 * Matrix products whose gradients use only plain (non-transposed) products. The tfjs wasm kernel
 * is 10× slower with `transposeA/transposeB` than without (bench/neural/README.md: 0.6 vs 8
 * GFLOP/s for 80×224·224×2128), and the stock gradient of `matMul` uses exactly those flags; here
 * the operands are transposed explicitly (a copy) and multiplied plainly.
 *
 * mm(a, b) = a·b, a [m,k], b [k,n]: dA = dY·bᵀ, dB = aᵀ·dY. bmm does the same per batch [B,·,·].
 */
import { tf } from './tf-backend.js';

// Operands reach the gradient through `save` (tfjs keeps a clone until the backward pass):
// intermediates of the forward pass are disposed before it runs.

type Binary = (x: tf.Tensor, y: tf.Tensor) => tf.Tensor;
type SavingFn = (
  x: tf.Tensor,
  y: tf.Tensor,
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };
const customGrad2 = (f: SavingFn): Binary => tf.customGrad(f as never) as unknown as Binary;

const mm2 = customGrad2((x, y, save) => {
  save([x, y]);
  return {
    value: tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D),
    gradFunc: (dy, [a, b]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(b as tf.Tensor2D)),
      tf.matMul(tf.transpose(a as tf.Tensor2D), dy as tf.Tensor2D),
    ],
  };
});

const mm3 = customGrad2((x, y, save) => {
  save([x, y]);
  return {
    value: tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D),
    gradFunc: (dy, [a, b]) => [
      tf.matMul(dy as tf.Tensor3D, tf.transpose(b, [0, 2, 1]) as tf.Tensor3D),
      tf.matMul(tf.transpose(a, [0, 2, 1]) as tf.Tensor3D, dy as tf.Tensor3D),
    ],
  };
});

/** a [m,k] · b [k,n] → [m,n], with a gradient that avoids transposed kernels. */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return mm2(a, b) as tf.Tensor2D;
}

/** Batched a [B,m,k] · b [B,k,n] → [B,m,n], gradient without transposed kernels. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return mm3(a, b) as tf.Tensor3D;
}

/**
 * a [m,k] · bT [k,n] where the caller also holds b = bTᵀ [n,k] (e.g. gathered embedding rows
 * uploaded in both layouts): dA = dY·b and dBT = aᵀ·dY, no transposed kernel and no copy of b.
 * `b` receives no gradient.
 */
export function mmKnownTranspose(a: tf.Tensor2D, bT: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const f = customGrad2((x, yT, save) => {
    save([x]);
    return {
      value: tf.matMul(x as tf.Tensor2D, yT as tf.Tensor2D),
      gradFunc: (dy, [sx]) => [
        tf.matMul(dy as tf.Tensor2D, b),
        tf.matMul(tf.transpose(sx as tf.Tensor2D), dy as tf.Tensor2D),
      ],
    };
  });
  return f(a, bT) as tf.Tensor2D;
}

/**
 * FLOP estimates of one training epoch from the shapes the epoch actually ran (multiply-adds
 * count 2; backward ≈ 2 × forward, so total ≈ 3 × forward). Elementwise work is ignored, so the
 * achieved GFLOP/s is a lower bound on the arithmetic rate.
 */
import type { EpochSession } from '../../src/models/types.js';

interface GruStats {
  stepsLastEpoch: number;
  pairsLastEpoch: number;
  rowsLastEpoch?: number;
}
interface SasStats {
  tokensLastEpoch: number;
  paddedTokensLastEpoch: number;
  negativesLastEpoch: number;
  attentionLastEpoch: number;
}

export function epochFlops(model: string, cfg: Record<string, unknown>, session: EpochSession): number {
  if (model === 'gru4rec') {
    const s = session as unknown as GruStats;
    const layers = cfg.layers as number[];
    const d = layers[layers.length - 1];
    let gruPerRow = 0;
    layers.forEach((h, l) => {
      const inDim = l === 0 ? d : layers[l - 1];
      gruPerRow += 2 * (inDim * 3 * h + h * 2 * h + h * h);
    });
    const rows = s.rowsLastEpoch ?? 0;
    return 3 * (2 * s.pairsLastEpoch * d + rows * gruPerRow);
  }
  const s = session as unknown as SasStats;
  const d = cfg.hiddenUnits as number;
  const blocks = cfg.blocks as number;
  // per padded token and block: Q,K,V,O projections 4·2d² + FFN 2·2d²; attention 2·2·L·d per token (attentionLastEpoch = Σ B·L²)
  const dense = s.paddedTokensLastEpoch * blocks * (12 * d * d);
  const attention = s.attentionLastEpoch * blocks * 4 * d;
  const output = 2 * s.negativesLastEpoch * d;
  return 3 * (dense + attention + output);
}

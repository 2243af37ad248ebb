/**
 * Compatibility shim: the CSR code of the neighbourhood models now lives in
 * `src/models/common/csr.ts`. Only `bench/peers/itemcf.ts` still imports this file; delete it once
 * that import moves to `common/csr.ts` (`interactionMatrix(data, opts).byRow`).
 */
import {
  dropZeroEntries,
  interactionMatrix as interactionPair,
  type Csr,
  type InteractionOptions,
} from '../../common/csr.js';
import type { TrainData } from '../../types.js';

export { transposeCsr, type Csr } from '../../common/csr.js';

/** Item-CF's user × item matrix: `common/csr.ts` `interactionMatrix(…).byRow` without zero entries. */
export function interactionMatrix(data: TrainData, opts: InteractionOptions): Csr {
  return dropZeroEntries(interactionPair(data, opts).byRow);
}

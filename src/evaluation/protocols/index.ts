import { RecError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import { PROTOCOLS, type PreparedProtocol, type ProtocolName } from './protocol.js';
import { prepareSessionNextItem } from './session-next-item.js';
import { prepareUserTemporal } from './user-temporal.js';

export * from './protocol.js';

/** P3 defaults differ from P1: MovieLens users do not re-rate movies, so seen items are excluded. */
const DEFAULTS: Record<ProtocolName, Record<string, unknown>> = {
  p1: {},
  p2: {},
  p3: { testFraction: 0.2, excludeSeen: true },
};

export function prepareProtocol(
  name: string,
  ds: Dataset,
  config: Record<string, unknown> = {},
): PreparedProtocol {
  if (!(PROTOCOLS as readonly string[]).includes(name)) {
    throw new RecError('USAGE', `Unknown protocol "${name}": use one of ${PROTOCOLS.join(', ')}`);
  }
  const p = name as ProtocolName;
  const cfg = { ...DEFAULTS[p], ...config };
  try {
    return p === 'p2' ? prepareSessionNextItem(ds, cfg) : prepareUserTemporal(p, ds, cfg);
  } catch (e) {
    if (e instanceof Error && e.name === 'ZodError') {
      throw new RecError('CONFIG_INVALID', `Invalid ${p} protocol config: ${e.message}`, undefined, e);
    }
    throw e;
  }
}

import { existsSync } from 'node:fs';
import { RecError } from '../core/errors.js';
import { DATASET_KINDS, type Dataset, type DatasetKind, type LoadOptions } from './dataset.js';
import { loadInteractions } from './formats/interactions.js';
import { loadMovieLens } from './formats/movielens.js';
import { loadSessionBenchmark } from './formats/session-benchmark.js';
import { loadRetailRocket } from './retailrocket/load-retailrocket.js';

const USAGE =
  'A data set is named KIND:PATH, one of: retailrocket:DIR (Kaggle files or the real sample), ' +
  'synthetic:DIR (written by `funnelrec data generate`), sessions:DIR (sbr_preprocessed session benchmark), ' +
  'movielens:DIR (ratings.csv, movies.csv), interactions:FILE (CSV with header user,item,timestamp[,event]). ' +
  'Example: retailrocket:../shared/data/retailrocket';

/** Splits `KIND:PATH` (at the first colon); throws `USAGE` listing the kinds for anything else. */
export function parseDatasetSpec(spec: string): { kind: DatasetKind; path: string } {
  const i = spec.indexOf(':');
  const kind = i < 0 ? spec : spec.slice(0, i);
  const path = i < 0 ? '' : spec.slice(i + 1);
  if (!(DATASET_KINDS as readonly string[]).includes(kind)) {
    throw new RecError('USAGE', `Unknown data set "${spec}": ${USAGE}`, { spec });
  }
  if (path.trim() === '') throw new RecError('USAGE', `Data set "${spec}" has no path: ${USAGE}`, { spec });
  return { kind: kind as DatasetKind, path };
}

/** What to do when the path of a spec does not exist. */
const MISSING_HINT: Record<DatasetKind, string> = {
  retailrocket:
    'Download the RetailRocket files with `funnelrec data download` (or unzip the Kaggle CSVs there by hand), ' +
    'use the real sample with retailrocket:../shared/data/retailrocket, or generate synthetic data with `funnelrec data generate`.',
  synthetic: 'Generate it with `funnelrec data generate`.',
  sessions: 'Point it at the sbr_preprocessed directory (../shared/data/retailrocket/sbr_preprocessed).',
  movielens: 'Point it at an unzipped MovieLens directory (../shared/data/movielens-latest-small).',
  interactions: 'Point it at a CSV file with header user,item,timestamp[,event].',
};

/**
 * Loads the data set named by `spec` (see `parseDatasetSpec`). `synthetic:DIR` is a
 * RetailRocket-format directory always labelled synthetic; `retailrocket:DIR` without `events.csv`
 * reads the real 5,000-visitor sample when present. A missing path is `DATA_MISSING` saying what to do.
 */
export async function loadDataset(spec: string, opts: LoadOptions = {}): Promise<Dataset> {
  const { kind, path } = parseDatasetSpec(spec);
  if (!existsSync(path)) {
    throw new RecError('DATA_MISSING', `${kind} data set ${path} does not exist. ${MISSING_HINT[kind]}`, {
      spec,
      path,
    });
  }
  switch (kind) {
    case 'retailrocket':
      return loadRetailRocket(path, opts);
    case 'synthetic':
      return loadRetailRocket(path, { ...opts, synthetic: true });
    case 'sessions':
      return loadSessionBenchmark(path);
    case 'movielens':
      return loadMovieLens(path, opts);
    case 'interactions':
      return loadInteractions(path, opts);
  }
}

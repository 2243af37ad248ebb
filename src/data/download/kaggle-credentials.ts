import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { RecError } from '../../core/errors.js';

/** A Kaggle API token (kaggle.com → Account → Create API token). */
export interface KaggleCredentials {
  username: string;
  key: string;
}

export const KAGGLE_DATASET_PAGE = 'https://www.kaggle.com/datasets/retailrocket/ecommerce-dataset';

/** The message of a missing-credentials error: how to get a token, and how to place the files by hand. */
export function missingCredentialsMessage(dest: string, looked: string): string {
  return [
    `No Kaggle API credentials (looked at KAGGLE_USERNAME/KAGGLE_KEY and ${looked}).`,
    'To download automatically: on kaggle.com open Account (Settings) → API → "Create New Token"; save the',
    'downloaded kaggle.json as ~/.kaggle/kaggle.json (chmod 600), or set the environment variables',
    'KAGGLE_USERNAME and KAGGLE_KEY from it; then run `funnelrec data download` again.',
    `Or place the files by hand: download the zip from ${KAGGLE_DATASET_PAGE}`,
    `and unzip events.csv, category_tree.csv, item_properties_part1.csv and item_properties_part2.csv into ${dest}/.`,
  ].join('\n');
}

/**
 * Kaggle credentials, first found of: `explicit`, `KAGGLE_USERNAME` + `KAGGLE_KEY` in `env`,
 * the JSON file `kaggleJsonPath` (default `$KAGGLE_CONFIG_DIR/kaggle.json` or
 * `~/.kaggle/kaggle.json`, `{"username": …, "key": …}`). Throws `DATA_MISSING` saying how to get
 * them when there are none, `CONFIG_INVALID` when the file is unreadable.
 */
export function resolveKaggleCredentials(opts: {
  explicit?: KaggleCredentials;
  env?: NodeJS.ProcessEnv;
  kaggleJsonPath?: string;
  dest: string;
}): KaggleCredentials {
  if (opts.explicit) return opts.explicit;
  const env = opts.env ?? process.env;
  if (env.KAGGLE_USERNAME && env.KAGGLE_KEY) return { username: env.KAGGLE_USERNAME, key: env.KAGGLE_KEY };
  const path =
    opts.kaggleJsonPath ?? join(env.KAGGLE_CONFIG_DIR ?? join(homedir(), '.kaggle'), 'kaggle.json');
  if (!existsSync(path))
    throw new RecError('DATA_MISSING', missingCredentialsMessage(opts.dest, path), { path });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new RecError(
      'CONFIG_INVALID',
      `${path} is not valid JSON: expected {"username": "...", "key": "..."} as saved from kaggle.com → Account → Create API token.`,
      { path },
      e,
    );
  }
  const p = parsed as Partial<KaggleCredentials> | null;
  if (!p || typeof p.username !== 'string' || typeof p.key !== 'string' || !p.username || !p.key) {
    throw new RecError(
      'CONFIG_INVALID',
      `${path} must hold {"username": "...", "key": "..."} as saved from kaggle.com → Account → Create API token.`,
      { path },
    );
  }
  return { username: p.username, key: p.key };
}

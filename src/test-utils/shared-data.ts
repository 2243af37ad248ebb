/**
 * Where the real data for tests lives: `$FUNNELREC_SHARED_DATA`, else `../shared/data` beside the
 * repository (that is where CI puts it). Tests that need it skip with a visible reason when absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const SHARED_DATA = process.env.FUNNELREC_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');

/** Absolute path of a file or folder under the shared data directory. */
export function sharedPath(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}

/** True when the path exists; otherwise logs why the dependent tests are skipped. */
export function hasShared(...parts: string[]): boolean {
  const p = sharedPath(...parts);
  const ok = existsSync(p);
  if (!ok)
    console.warn(
      `[skip] real data not found at ${p} (set FUNNELREC_SHARED_DATA); tests that need it are skipped`,
    );
  return ok;
}

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Package version plus the git commit (and "-dirty" for uncommitted changes) when available. */
export function codeVersion(): string {
  if (cached) return cached;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  let version = '0.0.0';
  try {
    version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // not fatal: provenance falls back to the placeholder version
  }
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    version += `+${rev}${dirty ? '-dirty' : ''}`;
  } catch {
    // not a git checkout (installed package): the package version alone
  }
  cached = version;
  return version;
}

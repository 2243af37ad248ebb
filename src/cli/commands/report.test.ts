import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from './report.js';

const dir = await mkdtemp(join(tmpdir(), 'funnelrec-report-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const record = {
  recordVersion: 1,
  id: 'r1',
  createdAt: '2026-01-01T00:00:00.000Z',
  codeVersion: 'test',
  seed: 1,
  stage: 'test',
  dataset: {
    kind: 'synthetic',
    name: 'tiny',
    path: 'x',
    synthetic: true,
    fingerprint: '0123456789abcdef',
    notes: [],
  },
  synthetic: true,
  protocol: 'p1',
  protocolConfig: {},
  description: 'P1',
  counts: {},
  models: ['popular', 'itemcf'].map((model, i) => ({
    model,
    config: {},
    artifactKey: model,
    reusedArtifact: false,
    result: {
      nCases: 10,
      nItems: 5,
      mean: { 'ndcg@10': 0.1 * (i + 1), 'hr@20': 0.3 },
      groups: [],
      lists: { k: 20, nLists: 10, coverage: 0.2, diversity: 0.1, novelty: 3, averagePopularity: 4 },
      casesFingerprint: 'f',
      elapsedMs: 1,
    },
    breakdowns: {},
  })),
  comparison: [],
};

describe('reportCommand', () => {
  it('writes one HTML page from the run records of a directory', async () => {
    const runs = join(dir, 'runs');
    await mkdir(runs);
    await writeFile(join(runs, 'r1.json'), JSON.stringify(record));
    const out = join(dir, 'out', 'report.html');
    const r = await reportCommand({ runs, out });
    expect(r).toMatchObject({ path: out, experiments: 1, records: 1 });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('NDCG@10 and HR@20 per model — SYNTHETIC data');
  });

  it('fails with a message that says what to run when there are no records', async () => {
    await expect(reportCommand({ runs: join(dir, 'none'), out: join(dir, 'x.html') })).rejects.toMatchObject({
      code: 'DATA_MISSING',
      message: expect.stringContaining('funnelrec evaluate'),
    });
  });
});

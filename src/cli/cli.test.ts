/**
 * End-to-end tests of the funnelrec command: run the real program in process and read what it
 * prints (the real data in ../shared/data is used where the issue names exact figures).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hasShared, sharedPath } from '../test-utils/shared-data.js';
import { evaluateCommand, parseVariant } from './commands/evaluate.js';
import { runDemo } from './commands/demo.js';
import { buildProgram } from './main.js';

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<string> {
  const program = buildProgram().exitOverride();
  await program.parseAsync(['node', 'funnelrec', ...args]);
  return out;
}

function allCommands(cmd: ReturnType<typeof buildProgram>): ReturnType<typeof buildProgram>[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

describe('funnelrec', () => {
  it('documents every subcommand and its options in --help', () => {
    const cmds = allCommands(buildProgram());
    expect(cmds.map((c) => c.name())).toEqual(
      expect.arrayContaining([
        'data',
        'download',
        'generate',
        'stats',
        'realism',
        'evaluate',
        'train',
        'demo',
        'models',
      ]),
    );
    for (const c of cmds) {
      const help = c.helpInformation();
      expect(c.description().length, c.name()).toBeGreaterThan(10);
      expect(help.replace(/\s+/g, ' ')).toContain(c.description().replace(/\s+/g, ' '));
      expect(help).toContain('-h, --help');
    }
  });

  it.skipIf(!hasShared('retailrocket', 'events_sample_5000visitors.csv'))(
    'prints the exact counts of the real 9,385-event sample in data stats',
    async () => {
      const text = await run(
        'data',
        'stats',
        '--dataset',
        `retailrocket:${sharedPath('retailrocket')}`,
        '--no-progress',
      );
      expect(text).toMatch(/events\s+9,385/);
      expect(text).toMatch(/view\s+9,076/);
      expect(text).toMatch(/addtocart\s+263/);
      expect(text).toMatch(/transaction\s+46/);
      expect(text).toMatch(/visitors\s+5,000/);
      expect(text).toMatch(/items\s+6,610/);
      const json = JSON.parse(
        await run('data', 'stats', '--dataset', `retailrocket:${sharedPath('retailrocket')}`, '--json').then(
          () => out.slice(text.length),
        ),
      );
      expect(json.stats).toMatchObject({
        events: 9385,
        view: 9076,
        addtocart: 263,
        transaction: 46,
        visitors: 5000,
        items: 6610,
        synthetic: false,
      });
    },
  );

  it('parses --variant label=model:{json} and says what is wrong with a bad one', () => {
    expect(parseVariant('sr=markov:{"steps":5,"context":5}')).toEqual({
      label: 'sr',
      name: 'markov',
      config: { steps: 5, context: 5 },
    });
    expect(() => parseVariant('markov:{"steps":5}')).toThrow(/label=model:\{json config\}/);
    expect(() => parseVariant('sr=markov:{steps:5}')).toThrow(/"sr": the config is not valid JSON/);
  });

  it('explains a bad dataset spec instead of failing obscurely', async () => {
    await expect(run('data', 'stats', '--dataset', 'parquet:/nowhere')).rejects.toThrow(
      /retailrocket.*synthetic.*sessions.*movielens.*interactions/s,
    );
  });

  it.skipIf(!hasShared('retailrocket', 'sbr_preprocessed', 'train_sessions.txt'))(
    'reproduces the published popularity figure on the session benchmark (HR@20 2.38 %, MRR@20 0.50 %, 15,132 cases) and evaluates a configured variant',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'fr-cli-'));
      const { experiment, text } = await evaluateCommand({
        dataset: `sessions:${sharedPath('retailrocket', 'sbr_preprocessed')}`,
        protocol: 'p2',
        models: 'popular,random',
        variant: ['sr=markov:{"steps":5,"context":5}'],
        k: '10,20',
        seed: '1',
        stage: 'test',
        artifacts: join(dir, 'a'),
        runs: join(dir, 'r'),
        clean: true,
        onBadRow: 'fail',
        progress: false,
      });
      const pop = experiment.runs[0].result;
      expect(pop.nCases).toBe(15_132);
      expect(pop.mean['hr@20']).toBeCloseTo(0.0238, 4);
      expect(pop.mean['mrr@20']).toBeCloseTo(0.005, 3);
      expect(text).toContain('15,132 cases');
      expect(text).toMatch(/random .*\*\*\*/);
      // Sequential rules (config chosen on the validation stage): 50.17 % / 23.43 % measured.
      const sr = experiment.runs[2].result;
      expect(experiment.runs[2].model).toBe('sr');
      expect(sr.mean['hr@20']).toBeCloseTo(0.5017, 3);
      expect(sr.mean['mrr@20']).toBeCloseTo(0.2343, 3);
    },
    120_000,
  );

  it('runs the main job end to end on generated data and labels it synthetic', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fr-demo-'));
    let text = '';
    await runDemo(
      {
        dataDir: join(dir, 'data'),
        artifacts: join(dir, 'artifacts'),
        runs: join(dir, 'runs'),
        scale: 'tiny',
        seed: '3',
        progress: false,
      },
      (s) => {
        text += s;
      },
    );
    expect(text).toContain('SYNTHETIC');
    expect(text).toMatch(/popular-category\s+[\d.]+%/);
    const record = JSON.parse(await readFile(text.match(/run record: (\S+)/)![1], 'utf8'));
    expect(record.synthetic).toBe(true);
    expect(record.protocol).toBe('p1');
    expect(record.models.map((m: { model: string }) => m.model)).toContain('popular');
    expect(record.codeVersion).toMatch(/^0\.1\.0/);
    expect(text).toMatch(/Published \d+ models/);
  }, 120_000);
});

describe('formatP', () => {
  it('never prints a p-value of exactly zero', async () => {
    const { formatP } = await import('./format-experiment.js');
    expect(formatP(0)).toBe('<1e-300');
    expect(formatP(2.5e-18)).toBe('2.5e-18');
    expect(formatP(0.1484)).toBe('0.1484');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishTinyModels } from '../../api/test-helpers.js';
import { reloadCommand, serveCommand } from './serve.js';

describe('funnelrec serve', () => {
  it('starts the API on the given port, prints its URL, and reloads models on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'funnelrec-serve-'));
    const lines: string[] = [];
    try {
      await publishTinyModels(join(dir, 'models'));
      const server = await serveCommand(
        {
          models: join(dir, 'models'),
          eventLog: join(dir, 'events.sqlite'),
          history: 'none',
          dataDir: dir,
          port: '0',
          logLevel: 'silent',
        },
        (s) => lines.push(s),
        false,
      );
      try {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines.join(''))?.[1];
        expect(url).toBe(server.url);
        const ready = await fetch(`${url}/health/ready`);
        expect(ready.status).toBe(200);
        const rec = (await (await fetch(`${url}/recommendations/someone?k=2`)).json()) as {
          items: unknown[];
        };
        expect(rec.items).toHaveLength(2);
        await reloadCommand({ url: url! }, (s) => lines.push(s));
        expect(lines.at(-1)).toContain('unchanged: 3');
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

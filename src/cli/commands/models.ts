import type { Command } from 'commander';
import { z } from 'zod';
import { listModels } from '../../models/registry.js';
import { formatTable, printJson } from '../output.js';

export function registerModels(program: Command): void {
  program
    .command('models')
    .description('List the registered models with their family and default config')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const rows = listModels().map((m) => ({
        name: m.name,
        family: m.family,
        description: m.description,
        defaults: m.configSchema.parse({}) as unknown,
        schema: z.toJSONSchema(m.configSchema),
      }));
      if (opts.json) return printJson(rows);
      process.stdout.write(
        `${formatTable(
          ['model', 'family', 'description', 'defaults'],
          rows.map((r) => [r.name, r.family, r.description, JSON.stringify(r.defaults)]),
        )}\n`,
      );
    });
}

import type { z } from 'zod';
import { RecError } from '../../core/errors.js';

/**
 * Parses a model config with its zod schema, turning validation issues into one CONFIG_INVALID
 * error that names every bad key and why.
 */
export function parseConfig<S extends z.ZodType>(model: string, schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const problems = r.error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
  throw new RecError('CONFIG_INVALID', `Invalid config for model "${model}": ${problems}`, {
    model,
    issues: r.error.issues,
  });
}

/**
 * The `funnelrec` command. Thin: each subcommand parses its flags, calls library code and prints
 * a table (or JSON with --json). Errors become one message that says what to do, and an exit code.
 */
import { Command } from 'commander';
import { registerData } from './commands/data.js';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerModels } from './commands/models.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { reportError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('funnelrec')
    .description('Funnel-aware recommender for online stores: data, training, honest evaluation')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  registerData(program);
  registerModels(program);
  registerTrain(program);
  registerEvaluate(program);
  registerDemo(program);
  registerServe(program);
  registerReport(program);
  return program;
}

const isMain = process.argv[1] && /(?:main\.[jt]s|funnelrec(?:\.js)?)$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((e: unknown) => {
      process.exitCode = reportError(e);
    });
}

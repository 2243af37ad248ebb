/**
 * The server the API benchmark starts: `startServer` with the environment config (plus
 * `FUNNELREC_HISTORY=KIND:PATH` to seed user histories), and a hello-world route on the same
 * Fastify instance as the throughput reference.
 */
import { serveConfigFromEnv, startServer } from '../../src/api/server.js';
import { loadAndClean } from '../../src/cli/pipeline.js';

const spec = process.env.FUNNELREC_HISTORY;
const history = spec ? (await loadAndClean(spec, { clean: true })).dataset : undefined;
const s = await startServer({
  config: serveConfigFromEnv(process.env),
  history,
  handleSignals: true,
  configure: (app) => {
    app.get('/bench/hello', async () => ({ hello: 'world' }));
  },
});
process.stdout.write(`listening on ${s.url}\n`);

/**
 * Hogwild worker of Item2Vec: holds views of the shared corpus, tables and parameters, and runs
 * `trainSentences` on the range of sentences it is given, with its own seeded generator.
 * Messages: `{ type: 'init', state, seed }` → `'ready'`; `{ type: 'run', from, to, alphaStart,
 * alphaEnd }` → `SgnsStats`.
 */
import { parentPort } from 'node:worker_threads';
import { Rng } from '../../../core/rng.js';
import { makeScratch, trainSentences, type SgnsScratch, type SgnsState } from './sgns-kernel.js';

type Msg =
  | { type: 'init'; state: SgnsState; seed: number }
  | { type: 'run'; from: number; to: number; alphaStart: number; alphaEnd: number };

let state: SgnsState | undefined;
let scratch: SgnsScratch | undefined;
let rng: Rng | undefined;

parentPort?.on('message', (msg: Msg) => {
  if (msg.type === 'init') {
    state = msg.state;
    scratch = makeScratch(state);
    rng = new Rng(msg.seed);
    parentPort!.postMessage('ready');
  } else {
    if (!state || !scratch || !rng) throw new Error('item2vec worker: run before init');
    parentPort!.postMessage(
      trainSentences(state, scratch, rng, msg.from, msg.to, msg.alphaStart, msg.alphaEnd),
    );
  }
});

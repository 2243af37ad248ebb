/**
 * Hogwild worker of Item2Vec: holds views of the shared corpus, tables and parameters, and runs
 * `trainSentences` (or, given the WebAssembly memory, `trainSentencesWasm` on its own scratch slot)
 * on the range of sentences it is given, with its own seeded generator.
 * Messages: `{ type: 'init', state, seed, wasm?, slot }` → `'ready'`; `{ type: 'run', from, to, alphaStart,
 * alphaEnd }` → `SgnsStats`.
 */
import { parentPort } from 'node:worker_threads';
import { Rng } from '../../../core/rng.js';
import { makeScratch, trainSentences, type SgnsScratch, type SgnsState } from './sgns-kernel.js';
import { sgnsWasmThread, trainSentencesWasm, type SgnsWasmThread } from './sgns-wasm-loop.js';
import type { WasmInit } from './training.js';

type Msg =
  | { type: 'init'; state: SgnsState; seed: number; wasm?: WasmInit; slot: number }
  | { type: 'run'; from: number; to: number; alphaStart: number; alphaEnd: number };

let state: SgnsState | undefined;
let scratch: SgnsScratch | undefined;
let rng: Rng | undefined;
let wasm: SgnsWasmThread | undefined;

parentPort?.on('message', (msg: Msg) => {
  if (msg.type === 'init') {
    state = msg.state;
    scratch = makeScratch(state);
    rng = new Rng(msg.seed);
    wasm = msg.wasm ? sgnsWasmThread(msg.wasm.memory, msg.wasm.layout, msg.slot) : undefined;
    parentPort!.postMessage('ready');
  } else {
    if (!state || !scratch || !rng) throw new Error('item2vec worker: run before init');
    const { from, to, alphaStart: a0, alphaEnd: a1 } = msg;
    parentPort!.postMessage(
      wasm
        ? trainSentencesWasm(state, scratch, wasm, rng, from, to, a0, a1)
        : trainSentences(state, scratch, rng, from, to, a0, a1),
    );
  }
});

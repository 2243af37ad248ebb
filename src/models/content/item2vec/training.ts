/**
 * One Item2Vec training run as an `EpochSession`: builds the corpus and tables, initialises the
 * embeddings (gensim 4's scheme: input rows U(−1, 1)/dim, output rows 0) and runs one SGNS epoch
 * per `runEpoch`, in process (1 thread, bit-reproducible) or Hogwild over worker threads that share
 * the corpus and both matrices through SharedArrayBuffer (each thread its own seeded Rng and a
 * contiguous share of the sentences with about equal tokens).
 *
 * With `kernel: 'auto'` and WebAssembly SIMD available (dim a multiple of 4), both matrices live in
 * one `WebAssembly.Memory` (shared when threads > 1) and each pair is updated by the float32 SIMD
 * kernel of `sgns-wasm.ts`; otherwise (or when the matrices exceed 2 GiB) by the JavaScript kernel over SharedArrayBuffer arrays.
 *
 * The learning rate decays linearly from `alpha` (start of epoch 1) to `minAlpha` (end of epoch
 * `config.epochs`) as in word2vec; epochs beyond `config.epochs` run at `minAlpha`.
 */
import type { Worker } from 'node:worker_threads';
import { Rng } from '../../../core/rng.js';
import { defaultThreads, request, sharedFloat32, startWorker } from '../../../core/workers.js';
import type { EpochSession, FitContext, TrainData } from '../../types.js';
import type { Item2VecConfig } from './config.js';
import { buildCorpus, keepProbabilities, unigramAlias, type Corpus } from './corpus.js';
import { makeScratch, trainSentences, type SgnsState, type SgnsStats } from './sgns-kernel.js';
import {
  SGNS_WASM_MAX_BYTES,
  sgnsLayout,
  sgnsMemory,
  sgnsWasmAvailable,
  type SgnsLayout,
  type WasmMemory,
} from './sgns-wasm.js';
import { sgnsWasmThread, trainSentencesWasm, type SgnsWasmThread } from './sgns-wasm-loop.js';

/** What a worker needs to instantiate the WebAssembly kernel over the shared memory. */
export interface WasmInit {
  memory: WasmMemory;
  layout: SgnsLayout;
}

/** Corpora smaller than this (tokens × epochs) train on one thread when `threads` is null. */
export const AUTO_THREADS_MIN_WORK = 200_000;

/** What the model receives after every epoch and at the end. */
export interface TrainedVectors {
  syn0: Float32Array;
  inVocab: Uint8Array;
  counts: Float64Array;
}

/** Splits sentences into `parts` contiguous ranges holding about equal tokens: boundaries[p]..boundaries[p+1]. */
export function splitByTokens(offsets: Int32Array, parts: number): Int32Array {
  const nSent = offsets.length - 1;
  const total = offsets[nSent];
  const bounds = new Int32Array(parts + 1);
  let s = 0;
  for (let p = 1; p < parts; p++) {
    const goal = (total * p) / parts;
    while (s < nSent && offsets[s] < goal) s++;
    bounds[p] = s;
  }
  bounds[parts] = nSent;
  return bounds;
}

function shared<T extends Int32Array | Float32Array | Float64Array>(a: T, threads: number): T {
  if (threads <= 1) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** Learning rate at training progress `p` ∈ [0, 1]. */
function alphaAt(cfg: Item2VecConfig, p: number): number {
  return cfg.alpha - (cfg.alpha - cfg.minAlpha) * Math.min(1, p);
}

export class Item2VecTraining implements EpochSession {
  readonly corpus: Corpus;
  readonly threads: number;
  private readonly state: SgnsState;
  private readonly bounds: Int32Array;
  private readonly seeds: number[];
  private readonly rng: Rng;
  private workers: Worker[] | undefined;
  /** The WebAssembly kernel's memory and layout (undefined: JavaScript kernel). */
  private readonly wasm: WasmInit | undefined;
  private wasmThread: SgnsWasmThread | undefined;

  constructor(
    private readonly cfg: Item2VecConfig,
    data: TrainData,
    ctx: FitContext,
    private readonly publish: (v: TrainedVectors) => void,
  ) {
    const corpus = buildCorpus(data, cfg);
    this.corpus = corpus;
    const work = corpus.tokens.length * cfg.epochs;
    const threads = cfg.threads ?? (work >= AUTO_THREADS_MIN_WORK ? defaultThreads() : 1);
    this.threads = Math.max(1, Math.min(threads, corpus.offsets.length - 1));
    const n = data.nItems;
    const dim = cfg.dim;
    let syn0: Float32Array;
    let syn1: Float32Array;
    const layout = sgnsLayout(n, dim, cfg.negative, this.threads);
    if (cfg.kernel === 'auto' && layout.bytes <= SGNS_WASM_MAX_BYTES && sgnsWasmAvailable(dim)) {
      const memory = sgnsMemory(layout, this.threads > 1);
      this.wasm = { memory, layout };
      syn0 = new Float32Array(memory.buffer, layout.syn0, n * dim);
      syn1 = new Float32Array(memory.buffer, layout.syn1, n * dim);
    } else {
      syn0 = this.threads > 1 ? sharedFloat32(n * dim) : new Float32Array(n * dim);
      syn1 = this.threads > 1 ? sharedFloat32(n * dim) : new Float32Array(n * dim);
    }
    for (let i = 0; i < n; i++) {
      if (!corpus.inVocab[i]) continue;
      for (let j = 0; j < dim; j++) syn0[i * dim + j] = (2 * ctx.rng.next() - 1) / dim;
    }
    const alias = unigramAlias(corpus.counts, corpus.inVocab, cfg.nsExponent);
    const t = this.threads;
    this.state = {
      dim,
      window: cfg.window,
      negative: cfg.negative,
      syn0,
      syn1,
      tokens: shared(corpus.tokens, t),
      weights: shared(corpus.weights, t),
      offsets: shared(corpus.offsets, t),
      keep: shared(keepProbabilities(corpus.counts, corpus.inVocab, cfg.sample), t),
      aliasProb: shared(alias.prob, t),
      aliasIdx: shared(alias.alias, t),
    };
    this.bounds = splitByTokens(corpus.offsets, this.threads);
    this.seeds = Array.from({ length: this.threads }, () => ctx.rng.nextUint32());
    this.rng = new Rng(this.seeds[0]);
    this.publishVectors();
  }

  /** Input and output matrices (live; shared with the workers while training). */
  get syn0(): Float32Array {
    return this.state.syn0;
  }
  get syn1(): Float32Array {
    return this.state.syn1;
  }

  /** Which kernel trains the pairs. */
  get kernel(): 'wasm' | 'js' {
    return this.wasm ? 'wasm' : 'js';
  }

  async runEpoch(epoch: number): Promise<{ loss: number }> {
    const a0 = alphaAt(this.cfg, (epoch - 1) / this.cfg.epochs);
    const a1 = alphaAt(this.cfg, epoch / this.cfg.epochs);
    let stats: SgnsStats[];
    if (this.threads === 1) {
      const scratch = makeScratch(this.state);
      const to = this.corpus.offsets.length - 1;
      if (this.wasm) {
        this.wasmThread ??= sgnsWasmThread(this.wasm.memory, this.wasm.layout, 0);
        stats = [trainSentencesWasm(this.state, scratch, this.wasmThread, this.rng, 0, to, a0, a1)];
      } else stats = [trainSentences(this.state, scratch, this.rng, 0, to, a0, a1)];
    } else {
      const workers = await this.startWorkers();
      stats = await Promise.all(
        workers.map((w, p) =>
          request<SgnsStats>(w, {
            type: 'run',
            from: this.bounds[p],
            to: this.bounds[p + 1],
            alphaStart: a0,
            alphaEnd: a1,
          }),
        ),
      );
    }
    this.publishVectors();
    const pairs = stats.reduce((s, x) => s + x.pairs, 0);
    const loss = stats.reduce((s, x) => s + x.loss, 0);
    return { loss: pairs > 0 ? loss / pairs : 0 };
  }

  private async startWorkers(): Promise<Worker[]> {
    if (this.workers) return this.workers;
    const url = new URL('./item2vec-worker.js', import.meta.url);
    const workers = this.seeds.map(() => startWorker(url));
    this.workers = workers;
    await Promise.all(
      workers.map((w, p) =>
        request(w, { type: 'init', state: this.state, seed: this.seeds[p], wasm: this.wasm, slot: p }),
      ),
    );
    return workers;
  }

  private publishVectors(): void {
    this.publish({ syn0: this.state.syn0, inVocab: this.corpus.inVocab, counts: this.corpus.counts });
  }

  snapshot(): unknown {
    return { syn0: this.state.syn0.slice(), syn1: this.state.syn1.slice() };
  }

  restore(snap: unknown): void {
    const s = snap as { syn0: Float32Array; syn1: Float32Array };
    this.state.syn0.set(s.syn0);
    this.state.syn1.set(s.syn1);
    this.publishVectors();
  }

  finish(): void {
    for (const w of this.workers ?? []) void w.terminate();
    this.workers = undefined;
    // Hand the model a copy, so that the kernel's memory (both matrices) can be freed.
    if (this.wasm)
      this.publish({
        syn0: this.state.syn0.slice(),
        inVocab: this.corpus.inVocab,
        counts: this.corpus.counts,
      });
  }
}

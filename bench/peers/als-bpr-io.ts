/**
 * Exchange files of the ALS/BPR peer bench: the exact training events (user, item, event code, ts)
 * of a split, written once so that our models and implicit (Python) train on identical data, and
 * factor matrices written back by Python so that both are scored by the same evaluator.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allocEvents } from '../../src/core/events.js';
import type { TrainData } from '../../src/models/types.js';

export interface EventsMeta {
  nUsers: number;
  nItems: number;
  n: number;
  cutTime: number;
  description: string;
}

/** Writes meta.json, user.i32, item.i32, event.u8, ts.f64 (little-endian) into `dir`. */
export function writeTrainEvents(dir: string, data: TrainData, description: string): void {
  mkdirSync(dir, { recursive: true });
  const ev = data.events;
  const meta: EventsMeta = {
    nUsers: data.nUsers,
    nItems: data.nItems,
    n: ev.length,
    cutTime: data.cutTime,
    description,
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  writeFileSync(
    join(dir, 'user.i32'),
    new Uint8Array(ev.user.buffer, ev.user.byteOffset, ev.user.byteLength),
  );
  writeFileSync(
    join(dir, 'item.i32'),
    new Uint8Array(ev.item.buffer, ev.item.byteOffset, ev.item.byteLength),
  );
  writeFileSync(join(dir, 'event.u8'), ev.event);
  writeFileSync(join(dir, 'ts.f64'), new Uint8Array(ev.ts.buffer, ev.ts.byteOffset, ev.ts.byteLength));
}

function readTyped<T>(path: string, Ctor: { new (b: ArrayBuffer): T }): T {
  const b = readFileSync(path);
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Ctor(copy.buffer);
}

/** Reads the events written by {@link writeTrainEvents} back as `TrainData` (no sessions/categories). */
export function readTrainEvents(dir: string): TrainData {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as EventsMeta;
  const ev = allocEvents(0);
  const events = {
    ...ev,
    length: meta.n,
    user: readTyped(join(dir, 'user.i32'), Int32Array),
    item: readTyped(join(dir, 'item.i32'), Int32Array),
    event: readTyped(join(dir, 'event.u8'), Uint8Array),
    ts: readTyped(join(dir, 'ts.f64'), Float64Array),
    transaction: new Int32Array(meta.n).fill(-1),
    category: new Int32Array(meta.n).fill(-1),
    available: new Int8Array(meta.n).fill(-1),
  };
  return {
    nUsers: meta.nUsers,
    nItems: meta.nItems,
    events,
    sessions: { offsets: Int32Array.of(0), rows: new Int32Array(0), user: new Int32Array(0) },
    itemCategory: new Int32Array(meta.nItems).fill(-1),
    cutTime: meta.cutTime,
    synthetic: true,
    fingerprint: meta.description,
  };
}

/** Reads a row-major float32 matrix written by numpy's `tofile`. */
export function readFactors(path: string): Float32Array {
  return readTyped(path, Float32Array);
}

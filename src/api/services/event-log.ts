/**
 * The durable, append-only event log: an embedded SQLite database in WAL mode with
 * `synchronous=FULL`, so a committed event survives a crash or power loss. `append` resolves only
 * after its transaction has committed; concurrent appends are group-committed (one transaction and
 * one fsync per event-loop turn), which is what keeps the rate high.
 *
 * Idempotency: an event may carry an `eventId` (unique: a second copy is counted as a duplicate and
 * not stored), and a request may carry a key whose first response is stored and replayed for a
 * retry with the same body; the same key with another body is a conflict.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { RecError } from '../../core/errors.js';
import type { EventCodeValue } from '../../core/events.js';
import type { OnlineEvent } from './online-state.js';

/** An event to store; `eventId` is the optional client idempotency key of this one event. */
export interface LogEvent extends OnlineEvent {
  readonly eventId?: string;
}

/** What one append did; stored and replayed for a repeated request key. */
export interface AppendResult {
  accepted: number;
  duplicates: number;
  /** Sequence numbers of the stored events (log order). */
  seqs: number[];
}

export interface AppendOutcome {
  result: AppendResult;
  /** The events actually stored (not duplicates); empty for a replay. */
  stored: LogEvent[];
  /** True when this is a replay of an earlier request with the same key. */
  replayed: boolean;
}

interface Job {
  events: readonly LogEvent[];
  requestKey?: string;
  requestHash?: string;
  resolve: (o: AppendOutcome) => void;
  reject: (e: unknown) => void;
}

/** Idempotency-key conflict: the key was used before with another request body. */
export class IdempotencyConflict extends RecError {
  constructor(key: string) {
    super('USAGE', `Idempotency key "${key}" was already used with a different request body; use a new key`, {
      status: 409,
      key,
    });
  }
}

export class EventLog {
  private readonly db: Database.Database;
  private queue: Job[] = [];
  private scheduled = false;
  private closed = false;
  private readonly insert: Database.Statement;
  private readonly findRequest: Database.Statement;
  private readonly saveRequest: Database.Statement;

  /** Opens (or creates) the log at `path`; `':memory:'` for tests that do not need durability. */
  constructor(readonly path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
    } catch (e) {
      throw new RecError(
        'DATA_INVALID',
        `Cannot open the event log ${path}: ${(e as Error).message}`,
        undefined,
        e,
      );
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id TEXT UNIQUE,
        user_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        event INTEGER NOT NULL,
        ts REAL NOT NULL,
        received_at REAL NOT NULL
      );
      CREATE TABLE IF NOT EXISTS requests (
        key TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at REAL NOT NULL
      );`);
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO events (event_id, user_id, item_id, event, ts, received_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.findRequest = this.db.prepare('SELECT hash, response FROM requests WHERE key = ?');
    this.saveRequest = this.db.prepare(
      'INSERT INTO requests (key, hash, response, created_at) VALUES (?, ?, ?, ?)',
    );
  }

  /** Appends events durably; resolves after the commit. */
  append(events: readonly LogEvent[], requestKey?: string, requestHash?: string): Promise<AppendOutcome> {
    if (this.closed)
      return Promise.reject(new RecError('USAGE', 'The event log is closed (server shutting down)'));
    return new Promise((resolve, reject) => {
      this.queue.push({ events, requestKey, requestHash, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue;
    this.queue = [];
    if (jobs.length === 0) return;
    const outcomes: (AppendOutcome | Error)[] = [];
    try {
      this.db.transaction(() => {
        for (const job of jobs) outcomes.push(this.runJob(job));
      })();
    } catch (e) {
      for (const job of jobs) job.reject(e);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i];
      if (o instanceof Error) job.reject(o);
      else job.resolve(o);
    });
  }

  private runJob(job: Job): AppendOutcome | Error {
    if (job.requestKey !== undefined) {
      const prev = this.findRequest.get(job.requestKey) as { hash: string; response: string } | undefined;
      if (prev) {
        if (prev.hash !== job.requestHash) return new IdempotencyConflict(job.requestKey);
        return { result: JSON.parse(prev.response) as AppendResult, stored: [], replayed: true };
      }
    }
    const now = Date.now();
    const result: AppendResult = { accepted: 0, duplicates: 0, seqs: [] };
    const stored: LogEvent[] = [];
    for (const e of job.events) {
      const r = this.insert.run(e.eventId ?? null, e.userId, e.itemId, e.event, e.ts, now);
      if (r.changes === 0) {
        result.duplicates++;
      } else {
        result.accepted++;
        result.seqs.push(Number(r.lastInsertRowid));
        stored.push(e);
      }
    }
    if (job.requestKey !== undefined) {
      this.saveRequest.run(job.requestKey, job.requestHash ?? '', JSON.stringify(result), now);
    }
    return { result, stored, replayed: false };
  }

  /** Every stored event in log order (for rebuilding the online state at start). */
  *replay(): Generator<LogEvent & { seq: number }> {
    const rows = this.db
      .prepare('SELECT seq, event_id, user_id, item_id, event, ts FROM events ORDER BY seq')
      .iterate() as IterableIterator<{
      seq: number;
      event_id: string | null;
      user_id: string;
      item_id: string;
      event: number;
      ts: number;
    }>;
    for (const r of rows) {
      yield {
        seq: r.seq,
        eventId: r.event_id ?? undefined,
        userId: r.user_id,
        itemId: r.item_id,
        event: r.event as EventCodeValue,
        ts: r.ts,
      };
    }
  }

  /** Number of stored events. */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }

  /** Waits for pending appends, then closes the database. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.queue.length > 0 || this.scheduled) await new Promise((r) => setImmediate(r));
    this.db.close();
  }
}

/**
 * The same work in DuckDB SQL only (in-memory database, default thread count): read_csv + as-of
 * join of the item properties, invalid rows / dedupe / bot filter, sessions with window functions
 * (lag + gap + cumulative sum), split at the same time quantile, per-user RFM + funnel stage,
 * per-item popularity and rates, per-session aggregates. Every stage materialises its tables.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { stage, type StageResult } from './measure.js';
import type { PipelineParams } from './ts-pipeline.js';

const DAY = 86_400_000;

async function one(c: DuckDBConnection, sql: string): Promise<Record<string, number>> {
  const r = await c.runAndReadAll(sql);
  const row = r.getRowObjects()[0] ?? {};
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

const q = (p: string) => `'${p.replace(/'/g, "''")}'`;

export async function runDuckDbPipeline(p: PipelineParams): Promise<StageResult[]> {
  const res: StageResult[] = [];
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const props = ['item_properties_part1.csv', 'item_properties_part2.csv']
    .map((f) => join(p.dir, f))
    .filter(existsSync);

  await stage(
    'load',
    async () => {
      await c.run(`CREATE TABLE raw AS SELECT timestamp AS ts, visitorid, itemid, transactionid,
        CASE event WHEN 'view' THEN 0 WHEN 'addtocart' THEN 1 WHEN 'transaction' THEN 2 END AS ev
      FROM read_csv(${q(join(p.dir, 'events.csv'))}, header = true, columns = {'timestamp': 'BIGINT',
        'visitorid': 'BIGINT', 'event': 'VARCHAR', 'itemid': 'BIGINT', 'transactionid': 'BIGINT'})`);
      if (props.length > 0) {
        await c.run(`CREATE TABLE props AS SELECT timestamp AS ts, itemid, property, TRY_CAST(value AS INTEGER) AS v
        FROM read_csv([${props.map(q).join(', ')}], header = true, columns = {'timestamp': 'BIGINT',
          'itemid': 'BIGINT', 'property': 'VARCHAR', 'value': 'VARCHAR'})
        WHERE property IN ('categoryid', 'available')`);
        // Latest snapshot at or before the event, else the item's earliest snapshot (as the loader).
        await c.run(`CREATE TABLE events AS
        WITH cat AS (SELECT itemid, ts, v FROM props WHERE property = 'categoryid'),
             av AS (SELECT itemid, ts, v FROM props WHERE property = 'available'),
             cat0 AS (SELECT itemid, arg_min(v, ts) AS v FROM cat GROUP BY itemid),
             av0 AS (SELECT itemid, arg_min(v, ts) AS v FROM av GROUP BY itemid)
        SELECT e.*, coalesce(c.v, c0.v, -1) AS category, coalesce(a.v, a0.v, -1) AS available
        FROM raw e
        ASOF LEFT JOIN cat c ON e.itemid = c.itemid AND e.ts >= c.ts
        ASOF LEFT JOIN av a ON e.itemid = a.itemid AND e.ts >= a.ts
        LEFT JOIN cat0 c0 ON c0.itemid = e.itemid
        LEFT JOIN av0 a0 ON a0.itemid = e.itemid`);
        await c.run('DROP TABLE props; DROP TABLE raw');
      } else {
        await c.run(
          'CREATE TABLE events AS SELECT *, -1 AS category, -1 AS available FROM raw; DROP TABLE raw',
        );
      }
      const o = await one(
        c,
        'SELECT count(*) AS rows, count(DISTINCT visitorid) AS users, count(DISTINCT itemid) AS items FROM events',
      );
      return [null, o];
    },
    res,
  );

  await stage(
    'clean',
    async () => {
      await c.run(`CREATE TABLE dedup AS SELECT DISTINCT ON (ts, visitorid, itemid, ev) * FROM events
      WHERE ts >= 0 AND ev IS NOT NULL AND visitorid >= 0 AND itemid >= 0`);
      await c.run(`CREATE TABLE bots AS SELECT visitorid, max(n) AS n FROM (
        SELECT visitorid, count(*) OVER (PARTITION BY visitorid) AS n,
          count(*) OVER (PARTITION BY visitorid ORDER BY ts RANGE BETWEEN 59999 PRECEDING AND CURRENT ROW) AS w
        FROM dedup) GROUP BY visitorid HAVING max(n) > 1000 OR max(w) > 30`);
      await c.run(
        'CREATE TABLE clean AS SELECT d.* FROM dedup d ANTI JOIN bots b ON d.visitorid = b.visitorid',
      );
      const o = await one(
        c,
        `SELECT (SELECT count(*) FROM clean) AS rows,
        (SELECT count(*) FROM events) - (SELECT count(*) FROM dedup) AS duplicates,
        (SELECT count(*) FROM bots) AS botVisitors, (SELECT sum(n) FROM bots) AS botRows`,
      );
      await c.run('DROP TABLE dedup; DROP TABLE events');
      return [null, o];
    },
    res,
  );

  await stage(
    'sessions',
    async () => {
      // RANGE frame (the default): rows tied in ts share the session of the first of them.
      await c.run(`CREATE TABLE sess AS SELECT *,
        sum(CASE WHEN prev IS NULL OR ts - prev > 1800000 THEN 1 ELSE 0 END)
          OVER (PARTITION BY visitorid ORDER BY ts) AS sid
      FROM (SELECT *, lag(ts) OVER (PARTITION BY visitorid ORDER BY ts) AS prev FROM clean)`);
      return [
        null,
        await one(c, 'SELECT count(*) AS sessions FROM (SELECT DISTINCT visitorid, sid FROM sess)'),
      ];
    },
    res,
  );

  let cut = 0;
  await stage(
    'split',
    async () => {
      const { n } = await one(c, 'SELECT count(*) AS n FROM sess');
      const k = Math.min(n - 1, Math.max(0, n - Math.round(n * p.testFraction)));
      ({ cut } = await one(c, `SELECT ts AS cut FROM sess ORDER BY ts LIMIT 1 OFFSET ${k}`));
      await c.run(
        `CREATE TABLE train AS SELECT * FROM sess WHERE ts < ${cut}; CREATE TABLE test AS SELECT * FROM sess WHERE ts >= ${cut}`,
      );
      const o = await one(
        c,
        'SELECT (SELECT count(*) FROM train) AS train, (SELECT count(*) FROM test) AS test',
      );
      return [null, { cutTime: cut, ...o }];
    },
    res,
  );

  await stage(
    'features',
    async () => {
      await c.run(`CREATE TABLE user_feat AS
      WITH u AS (SELECT visitorid, (${cut} - max(ts)) / ${DAY}.0 AS recency, count(*) AS events,
          count(DISTINCT sid) AS sessions, count(*) FILTER (WHERE ev = 2) AS tx, max(ts) FILTER (WHERE ev = 2) AS last_tx
        FROM train GROUP BY visitorid),
      open_cart AS (SELECT DISTINCT c.visitorid FROM train c WHERE c.ev = 1 AND ${cut} - c.ts <= ${3 * DAY}
        AND NOT EXISTS (SELECT 1 FROM train t WHERE t.visitorid = c.visitorid AND t.itemid = c.itemid AND t.ev = 2 AND t.ts >= c.ts))
      SELECT u.*,
        1 + floor(5 * (rank() OVER (ORDER BY -recency) - 1) / count(*) OVER ()) AS r_score,
        1 + floor(5 * (rank() OVER (ORDER BY sessions) - 1) / count(*) OVER ()) AS f_score,
        1 + floor(5 * (rank() OVER (ORDER BY tx) - 1) / count(*) OVER ()) AS m_score,
        CASE WHEN ${cut} - last_tx <= ${7 * DAY} THEN 3 WHEN oc.visitorid IS NOT NULL THEN 2 ELSE 1 END AS stage
      FROM u LEFT JOIN open_cart oc USING (visitorid)`);
      await c.run(`CREATE TABLE item_feat AS
      WITH g AS (SELECT count(*) FILTER (WHERE ev = 0) AS V, count(*) FILTER (WHERE ev = 1) AS C,
          count(*) FILTER (WHERE ev = 2) AS P FROM train),
      i AS (SELECT itemid, count(*) AS pop, sum(exp(-ln(2) * (${cut} - ts) / ${7 * DAY}.0)) AS decayed,
          count(*) FILTER (WHERE ev = 0) AS views, count(*) FILTER (WHERE ev = 1) AS carts,
          count(*) FILTER (WHERE ev = 2) AS purchases, arg_max(category, ts) FILTER (WHERE category >= 0) AS category
        FROM train GROUP BY itemid)
      SELECT i.*, (carts + 10 * g.C / g.V) / (views + 10) AS view_to_cart,
        least(1, (purchases + 10 * least(1, g.P / g.C)) / (carts + 10)) AS cart_to_purchase
      FROM i, g`);
      await c.run(`CREATE TABLE sess_feat AS SELECT visitorid, sid, count(*) AS len, max(ts) - min(ts) AS duration,
        count(DISTINCT category) FILTER (WHERE category >= 0) AS cats FROM train GROUP BY visitorid, sid`);
      const o = await one(
        c,
        `SELECT (SELECT count(*) FROM user_feat) AS activeUsers, (SELECT count(*) FROM item_feat) AS items,
        (SELECT count(*) FROM sess_feat) AS sessionsBeforeCut,
        (SELECT count(*) FROM user_feat WHERE stage = 1) AS browsing, (SELECT count(*) FROM user_feat WHERE stage = 2) AS intent,
        (SELECT count(*) FROM user_feat WHERE stage = 3) AS converted`,
      );
      return [null, o];
    },
    res,
  );
  c.closeSync();
  db.closeSync();
  return res;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RecError } from '../../core/errors.js';
import { throttleProgress } from '../../core/progress.js';
import { checkHeader } from '../csv/bad-rows.js';
import { forEachCsvRow } from '../csv/csv-rows.js';
import { ChunkHasher, combineFingerprint } from '../csv/file-digest.js';
import { GrowableF64 } from '../csv/growable.js';
import type { Dataset, LoadOptions } from '../dataset.js';
import { timeOrderedEvents } from './time-ordered-events.js';

const RATINGS_HEADER = 'userId,movieId,rating,timestamp';
const MOVIES_HEADER = 'movieId,title,genres';
const NO_GENRE = '(no genres listed)';

/** movieId → first genre name, from movies.csv. */
async function readFirstGenres(
  path: string,
  opts: LoadOptions,
  hasher: ChunkHasher,
): Promise<{ first: Map<string, string>; skipped: number }> {
  const first = new Map<string, string>();
  const { bad } = await forEachCsvRow(
    path,
    (h) => checkHeader('movies.csv', h.join(','), MOVIES_HEADER),
    ([id, , genres]) => {
      const g = genres.split('|')[0].trim();
      if (g !== '' && g !== NO_GENRE) first.set(id, g);
    },
    { onBadRow: opts.onBadRow, read: { onChunk: hasher.update } },
  );
  return { first, skipped: bad.skipped };
}

/**
 * Loads MovieLens (`ratings.csv`: `userId,movieId,rating,timestamp` in epoch seconds; optional
 * `movies.csv`). Every rating is an event with code 0 (view) and its value in `rating`; the
 * category of a movie is its first listed genre, numbered 0.. in alphabetical order of the genre
 * names (listed in `meta.notes`), each a root in `categoryParent`. Users and items are numbered
 * by first appearance in time.
 */
export async function loadMovieLens(dir: string, opts: LoadOptions = {}): Promise<Dataset> {
  const ratingsPath = join(dir, 'ratings.csv');
  if (!existsSync(ratingsPath)) {
    throw new RecError(
      'DATA_MISSING',
      `${ratingsPath} does not exist: point movielens: at an unzipped MovieLens directory (e.g. ../shared/data/movielens-latest-small).`,
      { path: dir },
    );
  }
  const onProgress = throttleProgress(opts.onProgress);
  const digests: { name: string; sha256: string }[] = [];
  const skippedRows: Record<string, number> = {};
  const user: string[] = [];
  const item: string[] = [];
  const ts = new GrowableF64(1 << 16);
  const rating = new GrowableF64(1 << 16);
  const rh = new ChunkHasher(['sha256']);
  const { bad } = await forEachCsvRow(
    ratingsPath,
    (h) => checkHeader('ratings.csv', h.join(','), RATINGS_HEADER),
    ([u, m, r, t]) => {
      if (u === '' || m === '') return ': userId and movieId must not be empty';
      const rv = Number(r);
      if (r.trim() === '' || !Number.isFinite(rv)) return `: rating "${r}" is not a number`;
      if (!/^\d{1,12}$/.test(t)) return `: timestamp "${t}" is not epoch seconds`;
      user.push(u);
      item.push(m);
      rating.push(rv);
      ts.push(Number(t) * 1000);
    },
    {
      onBadRow: opts.onBadRow,
      read: {
        onChunk: rh.update,
        onBytes: (done) => onProgress({ task: 'read ratings.csv', done, unit: 'bytes' }),
      },
    },
  );
  bad.addTo(skippedRows);
  digests.push({ name: 'ratings.csv', sha256: rh.digest().sha256 });

  const notes: string[] = [];
  let genreOf = new Map<string, string>();
  const moviesPath = join(dir, 'movies.csv');
  if (existsSync(moviesPath)) {
    const mh = new ChunkHasher(['sha256']);
    const g = await readFirstGenres(moviesPath, opts, mh);
    if (g.skipped) skippedRows['movies.csv'] = g.skipped;
    genreOf = g.first;
    digests.push({ name: 'movies.csv', sha256: mh.digest().sha256 });
  } else notes.push('movies.csv is absent: categories are unknown (-1)');
  const genres = [...new Set(genreOf.values())].sort();
  const genreId = new Map(genres.map((g, i) => [g, i]));
  if (genres.length) notes.push(`category = first genre: ${genres.map((g, i) => `${i}=${g}`).join(', ')}`);

  const { events, users, items, order } = timeOrderedEvents(ts.toArray(), user, item);
  const ratings = new Float32Array(order.length);
  for (let r = 0; r < order.length; r++) {
    const k = order[r];
    const g = genreOf.get(item[k]);
    events.category[r] = g === undefined ? -1 : genreId.get(g)!;
    ratings[r] = rating.data[k];
  }
  return {
    meta: {
      kind: 'movielens',
      name: 'movielens',
      path: dir,
      synthetic: false,
      fingerprint: combineFingerprint(digests),
      ...(Object.keys(skippedRows).length ? { skippedRows } : {}),
      notes: ['every rating is an implicit event with code 0 (view); the value is in `rating`', ...notes],
    },
    events,
    users,
    items,
    rating: ratings,
    categoryParent: new Map(genres.map((_, i) => [i, -1])),
  };
}

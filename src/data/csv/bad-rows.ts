import { RecError } from '../../core/errors.js';
import type { BadRowPolicy } from '../dataset.js';

/**
 * Applies the bad-row policy of one file: under `'fail'` the first malformed row throws
 * `DATA_INVALID` naming the file, the line and the problem; under `'skip'` rows are counted.
 */
export class BadRows {
  /** Rows skipped so far. */
  skipped = 0;

  constructor(
    readonly file: string,
    readonly policy: BadRowPolicy = 'fail',
  ) {}

  /** Reports a malformed row; `problem` reads after "line N", e.g. "has 4 columns, expected 5". */
  report(lineNo: number, problem: string): void {
    if (this.policy === 'skip') {
      this.skipped++;
      return;
    }
    throw new RecError(
      'DATA_INVALID',
      `Cannot read ${this.file}: line ${lineNo}${problem.startsWith(':') ? '' : ' '}${problem}`,
      {
        file: this.file,
        line: lineNo,
      },
    );
  }

  /** Adds this file's count to `into` when rows were skipped. */
  addTo(into: Record<string, number>): void {
    if (this.skipped > 0) into[this.file] = (into[this.file] ?? 0) + this.skipped;
  }
}

/**
 * Throws `DATA_INVALID` unless `header` (the first line, BOM and `\r` removed) equals `expected`.
 * A header is never skippable: a wrong header means the wrong file.
 */
export function checkHeader(file: string, header: string | undefined, expected: string): void {
  if (header === undefined) {
    throw new RecError(
      'DATA_INVALID',
      `Cannot read ${file}: the file is empty, expected a header "${expected}"`,
      {
        file,
      },
    );
  }
  if (header.trim() !== expected) {
    const shown = header.length > 80 ? `${header.slice(0, 80)}…` : header;
    throw new RecError(
      'DATA_INVALID',
      `Cannot read ${file}: line 1 is "${shown}", expected the header "${expected}"`,
      {
        file,
        line: 1,
      },
    );
  }
}

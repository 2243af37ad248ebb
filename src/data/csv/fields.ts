/**
 * Byte-level field helpers for the hot CSV paths (no string per field). All ranges are `[start, end)`.
 */

/**
 * The non-negative decimal integer in `buf[start, end)`, or -1 when the range is empty, holds a
 * non-digit, or exceeds 2^53. Leading zeros are accepted.
 */
export function parseUnsigned(buf: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 16) return -1;
  let v = 0;
  for (let i = start; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= Number.MAX_SAFE_INTEGER ? v : -1;
}

/** True when `buf[start, end)` holds exactly the ASCII bytes of `word`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[start + i] !== word[i]) return false;
  return true;
}

/**
 * Positions of the separators in `buf[start, end)`, written into `out`; returns how many there
 * are (it keeps counting past `out.length` so that the caller can report the column count).
 */
export function findSeparators(
  buf: Uint8Array,
  start: number,
  end: number,
  out: Int32Array,
  sep = 44,
): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    if (buf[i] === sep) {
      if (n < out.length) out[n] = i;
      n++;
    }
  }
  return n;
}

/** The text of a range, shortened for an error message. */
export function excerpt(buf: Buffer, start: number, end: number, max = 60): string {
  const s = buf.toString('utf8', start, Math.min(end, start + max * 4));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Splits one CSV line (RFC 4180: fields may be quoted with `"`, `""` inside quotes is a quote).
 * Used by the generic readers, not by the hot RetailRocket paths. Returns null on an unclosed quote.
 */
export function splitCsvLine(line: string, sep = ','): string[] | null {
  if (line.indexOf('"') < 0) return line.split(sep);
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null;
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== sep) return null;
      i++;
    } else {
      const c = line.indexOf(sep, i);
      if (c < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, c));
      i = c + 1;
    }
  }
}

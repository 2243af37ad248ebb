import { open } from 'node:fs/promises';

/**
 * Called once per line with the bytes `buf[start, end)` (line terminator and a trailing `\r`
 * excluded) and the 1-based line number. `buf` is reused after the call returns: copy what you keep.
 */
export type LineFn = (buf: Buffer, start: number, end: number, lineNo: number) => void;

export interface ForEachLineOptions {
  /** Called with every chunk of raw bytes as read (e.g. to feed a hash in the same pass). */
  onChunk?: (chunk: Buffer) => void;
  /** Called after each chunk with the number of bytes read so far. */
  onBytes?: (bytesRead: number) => void;
  /** Read size in bytes (default 4 MiB); a longer line grows the buffer. */
  chunkSize?: number;
}

/**
 * Streams a file line by line without building a string per line: the hot path of every loader.
 * Handles `\n` and `\r\n` endings, a final line without a terminator, and skips a UTF-8 BOM.
 * A final empty line (file ending in a newline) is not reported.
 *
 * @returns the number of lines reported and the number of bytes read.
 */
export async function forEachLine(
  path: string,
  onLine: LineFn,
  opts: ForEachLineOptions = {},
): Promise<{ lines: number; bytes: number }> {
  const fh = await open(path, 'r');
  let buf = Buffer.allocUnsafe(opts.chunkSize ?? 4 << 20);
  let carry = 0; // bytes of an unfinished line at buf[0, carry)
  let lineNo = 0;
  let total = 0;
  let first = true;
  try {
    for (;;) {
      if (carry === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, carry);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, null);
      if (bytesRead > 0) {
        opts.onChunk?.(buf.subarray(carry, carry + bytesRead));
        total += bytesRead;
        opts.onBytes?.(total);
      }
      const end = carry + bytesRead;
      let pos = 0;
      if (first && end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      if (end > 0) first = false;
      for (;;) {
        const nl = buf.indexOf(10, pos);
        if (nl < 0 || nl >= end) break;
        const stop = nl > pos && buf[nl - 1] === 13 ? nl - 1 : nl;
        onLine(buf, pos, stop, ++lineNo);
        pos = nl + 1;
      }
      if (bytesRead === 0) {
        if (pos < end) {
          const stop = buf[end - 1] === 13 ? end - 1 : end;
          onLine(buf, pos, stop, ++lineNo);
        }
        return { lines: lineNo, bytes: total };
      }
      carry = end - pos;
      if (carry > 0 && pos > 0) buf.copyWithin(0, pos, end);
    }
  } finally {
    await fh.close();
  }
}

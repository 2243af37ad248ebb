/**
 * Small building blocks of the report's inline SVG charts: XML escaping, linear scales with "nice"
 * ticks, number formatting and a fixed colour palette. Pure functions, no DOM.
 */

/** Escapes text for XML/HTML element content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Colour-blind-safe palette (Okabe–Ito, with olive instead of its pale yellow), cycled by series index. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#999933',
  '#000000',
];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** A number with at most 4 significant digits, no trailing zeros; `−` for negatives. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (Math.abs(v) < 1e-12) return '0';
  const a = Math.abs(v);
  const s = a >= 1000 ? Math.round(a).toLocaleString('en-US') : String(Number(a.toPrecision(3)));
  return v < 0 ? `−${s}` : s;
}

/** `0.1234` → `12.3%` (one decimal below 10 %, fewer digits above). */
export function formatPercent(v: number): string {
  if (!Number.isFinite(v)) return '–';
  const p = Math.abs(v) < 1e-12 ? 0 : v * 100;
  const a = Math.abs(p);
  const s = a === 0 ? '0' : a < 0.1 ? a.toFixed(3) : a < 10 ? a.toFixed(2) : a.toFixed(1);
  return `${p < 0 ? '−' : ''}${s}%`;
}

/**
 * "Nice" tick values covering [min(lo, 0), max(hi, 0)] (1, 2, 2.5, 5 × 10^k steps, about `count`
 * ticks): zero is always on the axis, as bar charts and rate scatters need.
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  lo = Math.min(0, lo);
  hi = Math.max(0, hi);
  // Ranges too narrow to divide (including a single value and denormals): show [0, 1] instead.
  if (hi - lo < 1e-12) return [0, 1];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < hi - step * 1e-9)
    ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** Linear map from the domain [d0, d1] to the range [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Rounds to 0.1 px so the SVG text stays short and stable. */
export function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** `<text>` with escaped content. */
export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${escapeXml(content)}</text>`;
}

/** Opening `<svg>` tag with a viewBox, a title (accessible name) and the chart's class. */
export function svgOpen(width: number, height: number, title: string): string {
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>`;
}

/** The chart title drawn at the top. */
export function titleText(width: number, title: string): string {
  return text(width / 2, 20, title, 'class="chart-title" text-anchor="middle"');
}

/** Width of a legend entry (swatch, gap, text estimated at 7.4 px per character of 12 px text). */
function legendEntryWidth(name: string): number {
  return 26 + name.length * 7.4;
}

/** Rows of legend entries that fit in `maxWidth`. */
export function legendRows(names: readonly string[], maxWidth: number): number {
  let rows = 1;
  let w = 0;
  for (const n of names) {
    const e = legendEntryWidth(n);
    if (w > 0 && w + e > maxWidth) {
      rows++;
      w = 0;
    }
    w += e;
  }
  return rows;
}

/** Legend entries starting at (x, y), wrapped into rows 16 px apart within `maxWidth`. */
export function legend(x: number, y: number, names: readonly string[], maxWidth = Infinity): string {
  let cx = x;
  let cy = y;
  const parts: string[] = [];
  names.forEach((n, i) => {
    const e = legendEntryWidth(n);
    if (cx > x && cx - x + e > maxWidth) {
      cx = x;
      cy += 16;
    }
    parts.push(`<rect x="${px(cx)}" y="${px(cy - 9)}" width="10" height="10" fill="${colour(i)}"/>`);
    parts.push(text(cx + 14, cy, n, 'class="legend"'));
    cx += e;
  });
  return `<g class="legend">${parts.join('')}</g>`;
}

/**
 * Splits `label` at spaces into at most `maxLines` lines of about `maxChars` characters (the last
 * line keeps the rest). A single word longer than `maxChars` stays whole.
 */
export function wrapLabel(label: string, maxChars: number, maxLines = 3): string[] {
  const words = label.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && (cur + ' ' + w).length > maxChars && lines.length < maxLines - 1) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  lines.push(cur);
  return lines;
}

/**
 * Grouped vertical bar chart as an inline SVG string: one group of bars per category, one bar per
 * series, optional whiskers (an interval per bar) and a text marker per bar (e.g. `**`). Negative
 * values grow downwards from the zero line. Missing values (null/NaN) leave a gap.
 */
import {
  colour,
  escapeXml,
  formatNumber,
  legend,
  legendRows,
  linearScale,
  niceTicks,
  px,
  svgOpen,
  text,
  titleText,
  wrapLabel,
} from './svg.js';

export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
  /** Whisker interval per bar (both ends required to draw one). */
  low?: readonly (number | null)[];
  high?: readonly (number | null)[];
  /** Text drawn after the value label (e.g. significance stars). */
  markers?: readonly string[];
}

export interface BarChartSpec {
  title: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Formats axis ticks and value labels; default {@link formatNumber}. */
  format?: (v: number) => string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Draw the value above (or below, when negative) each bar; default true. */
  valueLabels?: boolean;
}

const M = { top: 44, right: 16, bottom: 58, left: 78 };
const CHAR_W = 6.5;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function yDomain(spec: BarChartSpec): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const s of spec.series) {
    for (const arr of [s.values, s.low ?? [], s.high ?? []]) {
      for (const v of arr) {
        if (!finite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  if (lo === 0 && hi === 0) hi = 1;
  const pad = (hi - lo) * 0.08;
  return [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0];
}

/** Renders the chart; the SVG's `<title>` and heading carry `spec.title` (escaped). */
export function barChart(spec: BarChartSpec): string {
  const fmt = spec.format ?? formatNumber;
  const width =
    spec.width ??
    Math.max(
      560,
      spec.title.length * 8 + 40,
      Math.min(1100, 140 + spec.categories.length * (40 + 34 * spec.series.length)),
    );
  const groupW = (width - M.left - M.right) / Math.max(1, spec.categories.length);
  const maxChars = Math.max(4, Math.floor((groupW - 6) / CHAR_W));
  const labels = spec.categories.map((c) => wrapLabel(c, maxChars));
  const rotate = labels.some((ls) => ls.some((l) => l.length > maxChars));
  const longest = Math.max(0, ...spec.categories.map((c) => c.length));
  const bottom = rotate
    ? Math.min(160, 24 + longest * CHAR_W * 0.5)
    : 26 + 14 * Math.max(...labels.map((ls) => ls.length));
  const names = spec.series.map((s) => s.name);
  const legendH = spec.series.length > 1 ? 16 * legendRows(names, width - M.left - M.right) : 0;
  const top = M.top + legendH;
  const height = (spec.height ?? 320) - M.bottom + bottom + legendH;
  const [d0, d1] = yDomain(spec);
  const ticks = niceTicks(d0, d1, 5);
  const y = linearScale(ticks[0], ticks[ticks.length - 1], height - bottom, top);
  const nS = Math.max(1, spec.series.length);
  const barW = Math.max(4, Math.min(40, (groupW * 0.8) / nS));
  const out: string[] = [svgOpen(width, height, spec.title), titleText(width, spec.title)];
  if (spec.series.length > 1) out.push(legend(M.left, 38, names, width - M.left - M.right));
  out.push('<g class="axis y-axis">');
  for (const t of ticks) {
    out.push(
      `<line x1="${M.left}" x2="${px(width - M.right)}" y1="${px(y(t))}" y2="${px(y(t))}" class="grid"/>`,
    );
    out.push(text(M.left - 6, y(t) + 4, fmt(t), 'text-anchor="end" class="tick"'));
  }
  out.push('</g>');
  if (spec.yLabel)
    out.push(
      text(
        14,
        (height - bottom + top) / 2,
        spec.yLabel,
        `class="axis-label" text-anchor="middle" transform="rotate(-90 14 ${px((height - bottom + top) / 2)})"`,
      ),
    );
  const zero = y(0);
  out.push('<g class="bars">');
  spec.categories.forEach((_, c) => {
    const gx = M.left + c * groupW + (groupW - barW * nS) / 2;
    let prevLabel = NaN;
    spec.series.forEach((s, k) => {
      const v = s.values[c];
      if (!finite(v)) return;
      const x = gx + k * barW;
      const barTop = Math.min(y(v), zero);
      const h = Math.abs(y(v) - zero);
      out.push(
        `<rect class="bar" x="${px(x + 1)}" y="${px(barTop)}" width="${px(barW - 2)}" height="${px(Math.max(h, 0.5))}" fill="${colour(k)}"><title>${escapeXml(`${spec.categories[c]} · ${s.name}: ${fmt(v)}${s.markers?.[c] ?? ''}`)}</title></rect>`,
      );
      const lo = s.low?.[c];
      const hi = s.high?.[c];
      let labelEnd = v >= 0 ? y(v) : y(v);
      if (finite(lo) && finite(hi)) {
        const cx = x + barW / 2;
        out.push(
          `<path class="whisker" d="M${px(cx)} ${px(y(lo))}V${px(y(hi))}M${px(cx - 4)} ${px(y(lo))}H${px(cx + 4)}M${px(cx - 4)} ${px(y(hi))}H${px(cx + 4)}"/>`,
        );
        labelEnd = v >= 0 ? Math.min(labelEnd, y(hi)) : Math.max(labelEnd, y(lo));
      }
      if (spec.valueLabels !== false) {
        const label = `${fmt(v)}${s.markers?.[c] ?? ''}`;
        let ly = v >= 0 ? labelEnd - 4 : labelEnd + 11;
        // Labels wider than a bar collide with the neighbour's when they sit at similar heights: lift.
        if (label.length * 6.3 > barW && Math.abs(ly - prevLabel) < 12)
          ly = v >= 0 ? prevLabel - 12 : prevLabel + 12;
        prevLabel = ly;
        out.push(text(x + barW / 2, ly, label, 'class="value" text-anchor="middle"'));
      }
    });
  });
  out.push('</g>');
  out.push(
    `<line class="zero" x1="${M.left}" x2="${px(width - M.right)}" y1="${px(zero)}" y2="${px(zero)}"/>`,
  );
  out.push('<g class="axis x-axis">');
  spec.categories.forEach((c, i) => {
    const cx = M.left + (i + 0.5) * groupW;
    const ly = height - bottom + 16;
    if (rotate)
      out.push(text(cx, ly, c, `class="tick" text-anchor="end" transform="rotate(-30 ${px(cx)} ${px(ly)})"`));
    else
      labels[i].forEach((line, k) =>
        out.push(text(cx, ly + 14 * k, line, 'class="tick" text-anchor="middle"')),
      );
  });
  out.push('</g></svg>');
  return out.join('');
}

/**
 * Labelled scatter plot as an inline SVG string (e.g. catalogue coverage vs NDCG@10, one point per
 * model). Points with a non-finite coordinate are skipped.
 */
import {
  colour,
  escapeXml,
  formatNumber,
  linearScale,
  niceTicks,
  px,
  svgOpen,
  text,
  titleText,
} from './svg.js';

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
  /** Drawn emphasised (e.g. our own model). */
  highlight?: boolean;
}

export interface ScatterSpec {
  title: string;
  points: readonly ScatterPoint[];
  xLabel: string;
  yLabel: string;
  formatX?: (v: number) => string;
  formatY?: (v: number) => string;
  width?: number;
  height?: number;
}

const M = { top: 40, right: 24, bottom: 52, left: 70 };

/** A placed label: horizontal extent and baseline. */
interface Box {
  x0: number;
  x1: number;
  y: number;
}

/** The first baseline near `y` (alternately below and above) where a label of width `w` overlaps no placed label. */
function freeY(placed: readonly Box[], x0: number, w: number, y: number): number {
  const clash = (cy: number): boolean =>
    placed.some((b) => b.x0 < x0 + w && x0 < b.x1 && Math.abs(b.y - cy) < 13);
  for (let k = 0; k < 12; k++) {
    const cy = y + (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * 13;
    if (!clash(cy)) return cy;
  }
  return y;
}

function range(vs: number[]): [number, number] {
  if (vs.length === 0) return [0, 1];
  const hi = Math.max(...vs);
  return [0, hi > 0 ? hi * 1.1 : 1];
}

export function scatterChart(spec: ScatterSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 380;
  const fx = spec.formatX ?? formatNumber;
  const fy = spec.formatY ?? formatNumber;
  const pts = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xt = niceTicks(...range(pts.map((p) => p.x)), 5);
  const yt = niceTicks(...range(pts.map((p) => p.y)), 5);
  const x = linearScale(xt[0], xt[xt.length - 1], M.left, width - M.right);
  const y = linearScale(yt[0], yt[yt.length - 1], height - M.bottom, M.top);
  const out: string[] = [
    svgOpen(width, height, spec.title),
    titleText(width, spec.title),
    '<g class="axis">',
  ];
  for (const t of yt) {
    out.push(
      `<line class="grid" x1="${M.left}" x2="${px(width - M.right)}" y1="${px(y(t))}" y2="${px(y(t))}"/>`,
    );
    out.push(text(M.left - 6, y(t) + 4, fy(t), 'class="tick" text-anchor="end"'));
  }
  for (const t of xt) {
    out.push(
      `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${M.top}" y2="${px(height - M.bottom)}"/>`,
    );
    out.push(text(x(t), height - M.bottom + 16, fx(t), 'class="tick" text-anchor="middle"'));
  }
  out.push(
    text((M.left + width - M.right) / 2, height - 12, spec.xLabel, 'class="axis-label" text-anchor="middle"'),
  );
  const my = (M.top + height - M.bottom) / 2;
  out.push(
    text(16, my, spec.yLabel, `class="axis-label" text-anchor="middle" transform="rotate(-90 16 ${px(my)})"`),
  );
  out.push('</g><g class="points">');
  // Points are obstacles for every label; labels are placed in order and avoid each other too.
  const placed: Box[] = pts.map((p) => ({ x0: x(p.x) - 6, x1: x(p.x) + 6, y: y(p.y) + 4 }));
  pts.forEach((p, i) => {
    const cx = x(p.x);
    const cy = y(p.y);
    const r = p.highlight ? 6 : 4.5;
    out.push(
      `<circle class="point${p.highlight ? ' highlight' : ''}" cx="${px(cx)}" cy="${px(cy)}" r="${r}" fill="${colour(i)}"><title>${escapeXml(`${p.label}: ${spec.xLabel} ${fx(p.x)}, ${spec.yLabel} ${fy(p.y)}`)}</title></circle>`,
    );
    const right = cx < width - 120;
    const w = p.label.length * (p.highlight ? 7.6 : 7);
    const x0 = right ? cx + 8 : cx - 8 - w;
    const ly = freeY(placed, x0, w, cy - 6);
    placed.push({ x0, x1: x0 + w, y: ly });
    out.push(
      text(
        cx + (right ? 8 : -8),
        ly,
        p.label,
        `class="point-label${p.highlight ? ' highlight' : ''}" text-anchor="${right ? 'start' : 'end'}"`,
      ),
    );
  });
  out.push('</g></svg>');
  return out.join('');
}

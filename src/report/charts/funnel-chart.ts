/**
 * Conversion funnel as an inline SVG string: one horizontal bar per step (width ∝ count, centred),
 * the count inside and the step-to-step rate between consecutive bars.
 */
import { colour, formatPercent, linearScale, px, svgOpen, text, titleText } from './svg.js';

export interface FunnelStep {
  label: string;
  count: number;
}

export interface FunnelSpec {
  title: string;
  steps: readonly FunnelStep[];
  width?: number;
  /** Label of the rate between steps; default "of previous". */
  rateLabel?: string;
}

const ROW = 46;
const GAP = 22;

export function funnelChart(spec: FunnelSpec): string {
  const width = spec.width ?? 640;
  const height = 40 + spec.steps.length * (ROW + GAP);
  const max = Math.max(1, ...spec.steps.map((s) => s.count));
  const labelW = 110;
  const w = linearScale(0, max, 0, width - labelW - 20);
  const cx = labelW + (width - labelW - 20) / 2;
  const out: string[] = [svgOpen(width, height, spec.title), titleText(width, spec.title)];
  spec.steps.forEach((s, i) => {
    const top = 36 + i * (ROW + GAP);
    const bw = Math.max(2, w(s.count));
    out.push(
      `<rect class="funnel-step" x="${px(cx - bw / 2)}" y="${top}" width="${px(bw)}" height="${ROW}" fill="${colour(i)}"/>`,
    );
    out.push(text(8, top + ROW / 2 + 4, s.label, 'class="tick"'));
    const inside = bw > 90;
    out.push(
      text(
        inside ? cx : cx + bw / 2 + 6,
        top + ROW / 2 + 4,
        s.count.toLocaleString('en-US'),
        `class="${inside ? 'count inside' : 'count'}" text-anchor="${inside ? 'middle' : 'start'}"`,
      ),
    );
    if (i > 0) {
      const prev = spec.steps[i - 1].count;
      const rate = prev > 0 ? s.count / prev : NaN;
      out.push(
        text(
          cx,
          top - 6,
          `↓ ${formatPercent(rate)} ${spec.rateLabel ?? 'of previous'}`,
          'class="rate" text-anchor="middle"',
        ),
      );
    }
  });
  out.push('</svg>');
  return out.join('');
}

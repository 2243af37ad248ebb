import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { barChart } from './bar-chart.js';
import { funnelChart } from './funnel-chart.js';
import { scatterChart } from './scatter-chart.js';
import { escapeXml, formatPercent, niceTicks } from './svg.js';

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

describe('svg helpers', () => {
  it('escapes every XML special character', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;',
    );
  });

  it('nice ticks cover the range, include zero and use equal steps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (a, b) => {
          const lo = Math.min(a, b, 0);
          const hi = Math.max(a, b, 0);
          const t = niceTicks(lo, hi);
          expect(t[0]).toBeLessThanOrEqual(lo + 1e-6 * (hi - lo) + 1e-12);
          expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi - 1e-6 * (hi - lo) - 1e-12);
          expect(t.some((v) => Math.abs(v) < 1e-9)).toBe(true);
          expect(t.length).toBeLessThanOrEqual(13);
        },
      ),
    );
    expect(niceTicks(0, 0.23)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
  });

  it('formats percentages with a real minus sign', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(-0.0512)).toBe('−5.12%');
    expect(formatPercent(NaN)).toBe('–');
  });
});

describe('barChart', () => {
  const spec = {
    title: 'NDCG@10 — SYNTHETIC <data>',
    categories: ['popular', 'itemcf', 'hybrid'],
    series: [
      {
        name: 'NDCG@10',
        values: [0.1, 0.2, 0.25],
        low: [null, 0.15, 0.2],
        high: [null, 0.22, 0.3],
        markers: ['', '*', '***'],
      },
      { name: 'HR@20', values: [0.3, null, 0.5] },
    ],
  };

  it('draws one bar per finite value, whiskers where both ends exist, and a legend for several series', () => {
    const svg = barChart(spec);
    expect(count(svg, /<rect class="bar"/g)).toBe(5);
    expect(count(svg, /class="whisker"/g)).toBe(2);
    expect(svg).toContain('class="legend"');
    for (const c of spec.categories) expect(svg).toContain(`>${c}</text>`);
    expect(svg).toContain('0.25***');
  });

  it('escapes the title in the heading and the accessible name', () => {
    const svg = barChart(spec);
    expect(svg).not.toContain('<data>');
    expect(svg).toContain('<title>NDCG@10 — SYNTHETIC &lt;data&gt;</title>');
    expect(svg).toContain('aria-label="NDCG@10 — SYNTHETIC &lt;data&gt;"');
  });

  it('grows negative bars downwards from the zero line', () => {
    const svg = barChart({
      title: 't',
      categories: ['a', 'b'],
      series: [{ name: 's', values: [0.1, -0.2] }],
    });
    const zero = Number(/class="zero" x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"/.exec(svg)![1]);
    const bars = [
      ...svg.matchAll(/<rect class="bar" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g),
    ].map((m) => [Number(m[1]), Number(m[2])]);
    expect(bars[0][0] + bars[0][1]).toBeCloseTo(zero, 0);
    expect(bars[1][0]).toBeCloseTo(zero, 0);
    expect(bars[1][1]).toBeGreaterThan(bars[0][1]);
  });

  it('has y-axis ticks that span the data', () => {
    const svg = barChart({
      title: 't',
      categories: ['a'],
      series: [{ name: 's', values: [0.37] }],
      format: (v) => v.toFixed(2),
    });
    const ticks = [...svg.matchAll(/text-anchor="end" class="tick">([^<]+)</g)].map((m) => Number(m[1]));
    expect(ticks[0]).toBe(0);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(0.37);
  });
});

describe('scatterChart', () => {
  it('plots one labelled point per finite pair with axis labels', () => {
    const svg = scatterChart({
      title: 'coverage vs accuracy',
      xLabel: 'coverage@20',
      yLabel: 'NDCG@10',
      points: [
        { label: 'popular', x: 0.001, y: 0.05 },
        { label: 'hybrid & co', x: 0.2, y: 0.1, highlight: true },
        { label: 'broken', x: NaN, y: 0.1 },
      ],
    });
    expect(count(svg, /<circle/g)).toBe(2);
    expect(svg).toContain('>hybrid &amp; co</text>');
    expect(svg).toContain('>coverage@20</text>');
    expect(svg).toContain('class="point highlight"');
    expect(svg).not.toContain('broken');
  });
});

describe('funnelChart', () => {
  it('draws one step per stage with counts and step-to-step rates', () => {
    const svg = funnelChart({
      title: 'funnel',
      steps: [
        { label: 'view', count: 1000 },
        { label: 'addtocart', count: 26 },
        { label: 'transaction', count: 8 },
      ],
    });
    expect(count(svg, /class="funnel-step"/g)).toBe(3);
    expect(svg).toContain('>1,000</text>');
    expect(svg).toContain('↓ 2.60% of previous');
    expect(svg).toContain('↓ 30.8% of previous');
  });
});

describe('scatterChart labels', () => {
  it('moves a label that would overlap another one', () => {
    const svg = scatterChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      points: [
        { label: 'usercf', x: 0.2, y: 0.05 },
        { label: 'sknn', x: 0.2, y: 0.0501 },
      ],
    });
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" class="point-label/g)].map((m) =>
      Number(m[1]),
    );
    expect(ys).toHaveLength(2);
    expect(Math.abs(ys[0] - ys[1])).toBeGreaterThanOrEqual(13);
  });
});

describe('barChart category labels', () => {
  it('wraps long category labels onto lines instead of cutting them', () => {
    const cats = ['without ALS', 'without content (Item2Vec)', 'static weights (one set for all stages)'];
    const svg = barChart({
      title: 't',
      categories: cats,
      series: [{ name: 's', values: [-0.1, 0.02, -0.05] }],
      width: 600,
    });
    const ticks = [...svg.matchAll(/class="tick" text-anchor="middle">([^<]+)</g)].map((m) => m[1]);
    expect(ticks.join(' ')).toBe(cats.join(' '));
    expect(ticks.length).toBeGreaterThan(cats.length);
    expect(svg).not.toContain('rotate(-30');
  });
});

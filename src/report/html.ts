/**
 * The report's HTML shell: one self-contained page (inline CSS, inline SVG, no scripts, no external
 * URLs), plus a table helper that escapes every cell.
 */
import { escapeXml } from './charts/svg.js';

export type Cell = string | number | null | undefined | { html: string };

/** An HTML table; string cells are escaped, `{ html }` cells are trusted markup. */
export function table(
  headers: readonly string[],
  rows: readonly Cell[][],
  opts: { caption?: string; rowClass?: (i: number) => string } = {},
): string {
  const cell = (c: Cell, tag: 'td' | 'th'): string => {
    const body = c === null || c === undefined ? '' : typeof c === 'object' ? c.html : escapeXml(String(c));
    const num = typeof c === 'number' || (typeof c === 'string' && /^[−+-]?[\d.,]+%?\*{0,3}$/.test(c));
    return `<${tag}${num ? ' class="num"' : ''}>${body}</${tag}>`;
  };
  const caption = opts.caption ? `<caption>${escapeXml(opts.caption)}</caption>` : '';
  const head = `<thead><tr>${headers.map((h) => cell(h, 'th')).join('')}</tr></thead>`;
  const body = rows
    .map(
      (r, i) =>
        `<tr${opts.rowClass?.(i) ? ` class="${opts.rowClass(i)}"` : ''}>${r.map((c) => cell(c, 'td')).join('')}</tr>`,
    )
    .join('');
  return `<table>${caption}${head}<tbody>${body}</tbody></table>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:21px;margin:36px 0 8px;border-bottom:2px solid #ccd;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 6px}
section.experiment{background:#fff;border:1px solid #dde;border-radius:8px;padding:4px 20px 20px;margin:24px 0}
.badge{display:inline-block;font-size:12px;font-weight:700;padding:2px 8px;border-radius:10px;margin-left:8px;vertical-align:middle}
.badge.synthetic{background:#ffe3b3;color:#7a4a00}.badge.real{background:#cdeccd;color:#1d5e1d}
.meta{color:#555;font-size:13px}
ul.findings{padding-left:0;list-style:none}ul.findings li{padding:4px 10px;margin:3px 0;border-left:4px solid #99a;background:#f7f7fa}
ul.findings li.loss{border-color:#d55e00;background:#fff1e8}ul.findings li.win{border-color:#009e73;background:#eaf8f2}
ul.findings li.warn{border-color:#e69f00;background:#fff8e6}
table{border-collapse:collapse;margin:8px 0 4px;font-size:13px}
caption{text-align:left;color:#555;font-size:12px;padding-bottom:4px;caption-side:top}
th,td{padding:3px 10px;border-bottom:1px solid #e3e3ea;text-align:left}th{background:#f0f1f5}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.baseline td{background:#f4f4ff;font-style:italic}tr.ours td{font-weight:600}
.chart{max-width:100%;height:auto;display:block;margin:10px 0;background:#fff}
.chart text{font:12px system-ui,sans-serif;fill:#333}.chart .chart-title{font-size:14px;font-weight:600}
.chart .grid{stroke:#e6e6ee}.chart .zero{stroke:#555}.chart .whisker{stroke:#222;stroke-width:1.3;fill:none}
.chart .value{font-size:10.5px;fill:#222}.chart .count.inside{fill:#fff;font-weight:600}
.chart .rate{font-size:12px;fill:#444}.chart .point-label.highlight{font-weight:700}.chart circle.highlight{stroke:#000;stroke-width:1.5}
.note{color:#555;font-size:12.5px}.missing{color:#7a4a00}
nav ul{margin:4px 0 0 18px;padding:0}
`;

/** The whole page. `body` is trusted markup built by the section renderers. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeXml(title)}</title><style>${CSS}</style></head>
<body><main>${body}</main></body></html>
`;
}

/** Small, dependency-free SVG charts for the results folder. */
const W = 640;
const H = 320;
const PAD = { left: 60, right: 20, top: 40, bottom: 50 };

const escape = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>
<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#333"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#333"/>
<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${escape(xLabel)}</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${escape(yLabel)}</text>
${body}
</svg>
`;
}

/** Distribution of latencies, with the p50 and p99 marked. */
export function histogram(title: string, samples: readonly number[], unit: string): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const top = Math.max(p(0.995), 1e-6);
  const bins = 40;
  const counts = new Array<number>(bins).fill(0);
  for (const s of sorted) counts[Math.min(bins - 1, Math.floor((s / top) * bins))]!++;
  const most = Math.max(...counts, 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (v: number) => PAD.left + (Math.min(v, top) / top) * plotW;
  const bars = counts
    .map((c, i) => {
      const h = (c / most) * plotH;
      return `<rect x="${PAD.left + (i * plotW) / bins}" y="${H - PAD.bottom - h}" width="${plotW / bins - 1}" height="${h}" fill="#ea580c"/>`;
    })
    .join('\n');
  const mark = (q: number, label: string) =>
    `<line x1="${x(p(q))}" y1="${PAD.top}" x2="${x(p(q))}" y2="${H - PAD.bottom}" stroke="#1f2937" stroke-dasharray="4 3"/><text x="${x(p(q)) + 4}" y="${PAD.top + 12}">${label} ${p(q).toFixed(2)} ${unit}</text>`;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${PAD.left + f * plotW}" y="${H - PAD.bottom + 16}" text-anchor="middle">${(f * top).toFixed(1)}</text>`).join('');
  return frame(title, `${bars}\n${mark(0.5, 'p50')}\n${mark(0.99, 'p99')}\n${ticks}`, `latency (${unit})`, 'samples');
}

/** One bar per label. */
export function bars(title: string, items: readonly { label: string; value: number }[], unit: string): string {
  const top = Math.max(...items.map((i) => i.value), 1e-6);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const width = plotW / Math.max(items.length, 1);
  const body = items
    .map((item, i) => {
      const h = (item.value / top) * plotH;
      const cx = PAD.left + i * width + width / 2;
      return `<rect x="${cx - width * 0.3}" y="${H - PAD.bottom - h}" width="${width * 0.6}" height="${h}" fill="#ea580c"/>
<text x="${cx}" y="${H - PAD.bottom - h - 4}" text-anchor="middle">${item.value.toLocaleString('en')}</text>
<text x="${cx}" y="${H - PAD.bottom + 16}" text-anchor="middle">${escape(item.label)}</text>`;
    })
    .join('\n');
  return frame(title, body, '', unit);
}

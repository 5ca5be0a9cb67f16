import { LitElement, css, html, unsafeCSS, type PropertyValues } from 'lit';
import { createRef, ref } from 'lit/directives/ref.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import type { Capability, Device } from '../../hub/protocol/device.js';
import { binaryLabels, formatCapabilityValue, timeLabel } from './format.js';

const HOUR = 3_600_000;
export const RANGES = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR } as const;
export type Range = keyof typeof RANGES;

/** Properties worth a chart: readings, and on/off as a timeline. */
export const chartable = (c: Capability) => c.type === 'sensor' || c.type === 'switch' || c.type === 'binarySensor' || c.type === 'brightness';

/**
 * A history chart of one property (uPlot: fast on a phone, tiny). It loads the range from
 * the hub, then stays live: each new report of the device adds its point. The time axis is
 * the chosen range (not just where the data is), in the page's language; on/off and
 * open/closed are steps between two named levels; hovering reads the value out.
 */
export class HearthHistoryChart extends LitElement {
  static override properties = { device: { attribute: false }, capability: { attribute: false }, range: {}, _state: { state: true }, _readout: { state: true } };

  declare device: Device;
  declare capability: Capability;
  declare range: Range;
  declare _state: 'loading' | 'ready' | 'empty' | 'failed';
  /** The point under the pointer, as words. */
  declare _readout: string | null;
  /** The range shown, epoch milliseconds; `to` follows new reports. */
  #span = { from: 0, to: 0 };
  readonly #box = createRef<HTMLDivElement>();
  #plot: uPlot | null = null;
  #data: [number[], (number | null)[]] = [[], []];
  #width = 0;
  readonly #resize = new ResizeObserver(([entry]) => this.#fit(entry?.contentRect.width ?? 0));

  constructor() {
    super();
    this.range = '24h';
    this._state = 'loading';
    this._readout = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.updateComplete.then(() => this.#box.value && this.#resize.observe(this.#box.value));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    this.#plot?.destroy();
    this.#plot = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('range') || changed.has('capability')) void this.#load();
    else if (changed.has('device')) this.#append(changed.get('device') as Device | undefined);
  }

  async #load(): Promise<void> {
    this._state = 'loading';
    const to = Date.now();
    this.#span = { from: to - RANGES[this.range], to };
    const url = new URL(`api/devices/${encodeURIComponent(this.device.id)}/history`, document.baseURI);
    url.search = new URLSearchParams({ property: this.capability.property, from: String(to - RANGES[this.range]), to: String(to) }).toString();
    try {
      const response = await fetch(url);
      const body = (await response.json()) as { series: Record<string, number[][]> };
      const points = body.series[this.capability.property] ?? [];
      this.#data = [points.map((p) => p[0]! / 1000), points.map((p) => p[1]!)];
      this._state = points.length ? 'ready' : 'empty';
      this.#draw();
    } catch {
      this._state = 'failed';
    }
  }

  /** A new report: its value joins the chart, without asking the hub again. */
  #append(previous: Device | undefined): void {
    const value = toNumber(this.device.state[this.capability.property]);
    const at = this.device.lastSeen;
    if (value === null || at === null || at === previous?.lastSeen) return;
    this.#data[0].push(at / 1000);
    this.#data[1].push(value);
    this.#span = { from: this.#span.from + Math.max(0, at - this.#span.to), to: Math.max(this.#span.to, at) };
    this._state = 'ready';
    this.#plot ? this.#plot.setData(this.#data) : this.#draw();
  }

  #draw(): void {
    this.#plot?.destroy();
    this.#plot = null;
    const box = this.#box.value;
    if (!box || this._state !== 'ready') return;
    const stepped = this.capability.type === 'switch' || this.capability.type === 'binarySensor';
    const style = getComputedStyle(this);
    const stroke = style.getPropertyValue('--hearth-accent').trim() || '#ea580c';
    const axis = { stroke: style.getPropertyValue('--hearth-text-muted').trim() || '#666', grid: { stroke: style.getPropertyValue('--hearth-border').trim() || '#ddd' } };
    const label = timeLabel(RANGES[this.range], document.documentElement.lang || navigator.language);
    const levels = binaryLabels(this.capability);
    const valueAxis = stepped
      ? { ...axis, size: 64, splits: () => [0, 1], values: (_u: uPlot, splits: number[]) => splits.map((v) => levels[v] ?? '') }
      : { ...axis, size: 48 };
    this.#plot = new uPlot(
      {
        width: Math.max(this.#width || box.clientWidth, 200),
        height: 180,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true, range: () => [this.#span.from / 1000, this.#span.to / 1000] }, ...(stepped ? { y: { range: [-0.1, 1.1] } } : {}) },
        axes: [{ ...axis, values: (_u: uPlot, splits: number[]) => splits.map((s) => label(s * 1000)) }, valueAxis],
        series: [{}, { stroke, width: 2, fill: `${stroke}22`, ...(stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}) }],
        hooks: { setCursor: [(u) => this.#read(u.cursor.idx ?? null)] },
      },
      this.#data,
      box,
    );
  }

  /** What the point under the pointer says: "21.4°C at 14:05". */
  #read(index: number | null): void {
    const at = index === null ? undefined : this.#data[0][index];
    const value = index === null ? undefined : this.#data[1][index];
    if (at === undefined || value === undefined || value === null) return void (this._readout = null);
    const stepped = this.capability.type === 'switch' || this.capability.type === 'binarySensor';
    const when = new Intl.DateTimeFormat(document.documentElement.lang || navigator.language, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(at * 1000);
    this._readout = `${formatCapabilityValue(stepped ? value === 1 : value, this.capability)} at ${when}`;
  }

  #fit(width: number): void {
    this.#width = width;
    this.#plot?.setSize({ width: Math.max(width, 200), height: 180 });
  }

  override render() {
    const label = 'label' in this.capability ? this.capability.label : this.capability.property;
    return html`
      <figure aria-label="${label} over the last ${this.range}" data-from=${this.#span.from} data-to=${this.#span.to} data-testid="chart-${this.capability.property}" data-state=${this._state} data-points=${this.#data[0].length}>
        ${this._state === 'loading' ? html`<div class="skeleton" aria-busy="true"></div>` : ''}
        ${this._state === 'empty' ? html`<p>No history in this range yet.</p>` : ''}
        ${this._state === 'failed' ? html`<p>The history could not be loaded.</p>` : ''}
        <div ${ref(this.#box)} class="plot" @pointerleave=${() => (this._readout = null)}></div>
        <p class="readout" data-testid="readout-${this.capability.property}">${this._readout ?? ' '}</p>
      </figure>
    `;
  }

  static override styles = [
    unsafeCSS(uPlotCss),
    css`
      figure {
        margin: 0;
      }
      .readout {
        min-height: 1.3em;
        margin: 2px 0 0;
        font-variant-numeric: tabular-nums;
        color: var(--hearth-text);
      }
      p {
        margin: 8px 0;
        color: var(--hearth-text-muted);
        font-size: 0.875rem;
      }
      .skeleton {
        height: 180px;
        border-radius: 12px;
        background: var(--hearth-surface-2);
      }
    `,
  ];
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

customElements.define('hearth-history-chart', HearthHistoryChart);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-history-chart': HearthHistoryChart;
  }
}

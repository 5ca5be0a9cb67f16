import { LitElement, css, html } from 'lit';
import { ClockController } from './clock.js';
import { formatRelative } from './format.js';

/** "updated 12 s ago", kept fresh by the shared clock; only this element re-renders each tick. */
export class HearthRelativeTime extends LitElement {
  static override properties = { time: { attribute: false }, prefix: {} };
  static override styles = css`
    :host {
      font-variant-numeric: tabular-nums;
    }
  `;

  declare time: number | null;
  declare prefix: string;
  readonly #clock = new ClockController(this);

  constructor() {
    super();
    this.time = null;
    this.prefix = 'updated';
  }

  override render() {
    const text = this.time === null ? 'no reports yet' : `${this.prefix} ${formatRelative(this.time, this.#clock.now)}`;
    const exact = this.time === null ? '' : new Date(this.time).toLocaleString();
    return html`<time datetime=${this.time === null ? '' : new Date(this.time).toISOString()} title=${exact}>${text}</time>`;
  }
}

customElements.define('hearth-relative-time', HearthRelativeTime);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-relative-time': HearthRelativeTime;
  }
}

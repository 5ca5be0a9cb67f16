import { LitElement, css, html, nothing } from 'lit';
import { ClockController } from './clock.js';
import type { Confirmation } from './store.js';
import './relative-time.js';

/** How long a "confirmed in 23 ms" note stays after the device confirmed. */
const SHOWN_MS = 10_000;

/**
 * "confirmed in 23 ms": how long the device took to confirm the last command, for a few
 * seconds, in the place of "updated 5 s ago" (given as `time` and `prefix`), so the card's
 * line swaps words instead of growing a line and shrinking back on every tap.
 */
export class HearthConfirmationNote extends LitElement {
  static override properties = { confirmation: { attribute: false }, time: { attribute: false }, prefix: {} };
  static override styles = css`
    :host {
      font-variant-numeric: tabular-nums;
    }
    .confirmed {
      color: var(--hearth-accent-text);
    }
  `;

  declare confirmation: Confirmation | undefined;
  /** When the device last reported, shown when there is no fresh confirmation; undefined shows nothing then. */
  declare time: number | null | undefined;
  declare prefix: string;
  readonly #clock = new ClockController(this);

  constructor() {
    super();
    this.prefix = 'updated';
  }

  override render() {
    const c = this.confirmation;
    if (c && this.#clock.now - c.at <= SHOWN_MS) return html`<span class="confirmed" data-testid="confirmation">confirmed in ${Math.max(1, Math.round(c.latencyMs))} ms</span>`;
    return this.time === undefined ? nothing : html`<hearth-relative-time .time=${this.time} prefix=${this.prefix}></hearth-relative-time>`;
  }
}

customElements.define('hearth-confirmation-note', HearthConfirmationNote);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-confirmation-note': HearthConfirmationNote;
  }
}

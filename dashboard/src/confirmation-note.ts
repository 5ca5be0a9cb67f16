import { LitElement, css, html, nothing } from 'lit';
import { ClockController } from './clock.js';
import type { Confirmation } from './store.js';

/** How long a "confirmed in 23 ms" note stays after the device confirmed. */
const SHOWN_MS = 10_000;

/** "confirmed in 23 ms": how long the device took to confirm the last command, for a few seconds. */
export class HearthConfirmationNote extends LitElement {
  static override properties = { confirmation: { attribute: false } };
  static override styles = css`
    :host {
      font-variant-numeric: tabular-nums;
      color: var(--hearth-accent-text);
    }
  `;

  declare confirmation: Confirmation | undefined;
  readonly #clock = new ClockController(this);

  override render() {
    const c = this.confirmation;
    if (!c || this.#clock.now - c.at > SHOWN_MS) return nothing;
    return html`<span data-testid="confirmation">confirmed in ${Math.max(1, Math.round(c.latencyMs))} ms</span>`;
  }
}

customElements.define('hearth-confirmation-note', HearthConfirmationNote);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-confirmation-note': HearthConfirmationNote;
  }
}

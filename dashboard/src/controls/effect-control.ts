import { css, html } from 'lit';
import type { EffectCapability } from '../../../hub/protocol/device.js';
import { CapabilityControl } from './control.js';

/** A light's effects (colorloop, breathe...), as the light lists them. */
export class HearthEffectControl extends CapabilityControl<EffectCapability> {
  override render() {
    const shown = this.pending ? this.pending.value : this.confirmed;
    return html`
      <label>
        <span>Effect</span>
        <select
          data-testid="effect-${this.device.id}"
          aria-busy=${this.pending ? 'true' : 'false'}
          ?disabled=${this.disabled}
          @change=${(e: Event) => this.send({ effect: (e.target as HTMLSelectElement).value })}
        >
          <option value="" disabled ?selected=${typeof shown !== 'string'}>None</option>
          ${this.capability.options.map((o) => html`<option value=${o} ?selected=${shown === o}>${o}</option>`)}
        </select>
      </label>
    `;
  }

  static override styles = css`
    label {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      min-height: 44px;
      font-size: 0.875rem;
      color: var(--hearth-text-muted);
    }
    select {
      min-height: 40px;
      padding: 0 10px;
      border: 1px solid var(--hearth-border);
      border-radius: 10px;
      background: var(--hearth-surface-2);
      color: var(--hearth-text);
      font: inherit;
    }
    select:focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
  `;
}

customElements.define('hearth-effect-control', HearthEffectControl);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-effect-control': HearthEffectControl;
  }
}

import { css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ColorCapability } from '../../../hub/protocol/device.js';
import { hexToRgb, isRgb, rgbToHex } from '../format.js';
import { CapabilityControl } from './control.js';

/** RGB colour through the platform's own picker; sent when the picker closes (`change`). */
export class HearthColorControl extends CapabilityControl<ColorCapability> {
  override render() {
    const pending = isRgb(this.pending?.value) ? this.pending.value : undefined;
    const confirmed = isRgb(this.confirmed) ? this.confirmed : { r: 255, g: 255, b: 255 };
    const hex = rgbToHex(pending ?? confirmed);
    return html`
      <label class=${pending ? 'pending' : ''}>
        <span class="label">Colour</span>
        <span class="value">${hex.toUpperCase()}</span>
        <input
          type="color"
          .value=${live(hex)}
          aria-label="Colour, ${this.device.name}"
          data-testid="color-${this.device.id}"
          ?disabled=${this.disabled}
          @change=${this.#onChange}
        />
      </label>
    `;
  }

  #onChange(event: Event): void {
    const rgb = hexToRgb((event.target as HTMLInputElement).value);
    if (rgb) this.send({ color: rgb });
  }

  static override styles = css`
    :host {
      display: block;
    }
    label {
      display: flex;
      align-items: center;
      gap: 12px;
      min-height: 44px;
      font-size: 0.875rem;
      cursor: pointer;
    }
    .label {
      flex: 1;
      color: var(--hearth-text-muted);
    }
    .value {
      font-size: 0.8125rem;
      font-variant-numeric: tabular-nums;
      color: var(--hearth-text-muted);
    }
    .pending .value {
      animation: pending 1s ease-in-out infinite;
    }
    @keyframes pending {
      50% {
        opacity: 0.4;
      }
    }
    input {
      width: 44px;
      height: 44px;
      padding: 0;
      border: 2px solid var(--hearth-border);
      border-radius: 50%;
      background: none;
      cursor: pointer;
      appearance: none;
      -webkit-appearance: none;
    }
    input::-webkit-color-swatch-wrapper {
      padding: 3px;
    }
    input::-webkit-color-swatch {
      border: 0;
      border-radius: 50%;
    }
    input::-moz-color-swatch {
      border: 0;
      border-radius: 50%;
    }
    input:focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: 2px;
    }
    input:disabled {
      cursor: not-allowed;
      opacity: 0.5;
    }
  `;
}

customElements.define('hearth-color-control', HearthColorControl);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-color-control': HearthColorControl;
  }
}

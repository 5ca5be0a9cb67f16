import { css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import type { BrightnessCapability, ColorTempCapability, DeviceCommand } from '../../../hub/protocol/device.js';
import { CapabilityControl } from './control.js';

/**
 * A labelled slider. While dragging only the readout follows the thumb; the command is sent
 * once, on `change`, so a drag does not flood the device. Until the device confirms, the
 * slider stays where it was let go and the readout pulses.
 */
export abstract class RangeControl<C extends BrightnessCapability | ColorTempCapability> extends CapabilityControl<C> {
  static override properties = { ...CapabilityControl.properties, _draft: { state: true } };

  declare _draft: number | null;

  constructor() {
    super();
    this._draft = null;
  }

  protected abstract readonly label: string;
  protected abstract format(value: number): string;
  protected abstract command(value: number): DeviceCommand;
  /** Extra inline style for the track, e.g. a colour-temperature gradient. */
  protected trackStyle(_fill: number): string {
    return '';
  }

  override render() {
    const { min, max } = this.capability;
    const pending = typeof this.pending?.value === 'number' ? this.pending.value : undefined;
    const confirmed = typeof this.confirmed === 'number' ? this.confirmed : min;
    const shown = this._draft ?? pending ?? confirmed;
    const fill = max > min ? ((shown - min) / (max - min)) * 100 : 0;
    const text = this.format(shown);
    return html`
      <div class="row">
        <span class="label">${this.label}</span>
        <output class=${pending === undefined ? '' : 'pending'} aria-hidden="true">${text}</output>
      </div>
      <input
        type="range"
        min=${min}
        max=${max}
        step="1"
        .value=${live(String(shown))}
        style="--fill: ${fill}%; ${this.trackStyle(fill)}"
        aria-label="${this.label}, ${this.controlName}"
        aria-valuetext=${text}
        aria-busy=${pending === undefined ? 'false' : 'true'}
        data-testid="${this.capability.type}-${this.device.id}"
        ?disabled=${this.disabled}
        @input=${this.#onInput}
        @change=${this.#onChange}
      />
    `;
  }

  #onInput(event: Event): void {
    this._draft = Number((event.target as HTMLInputElement).value);
  }

  #onChange(event: Event): void {
    const value = Number((event.target as HTMLInputElement).value);
    this._draft = null;
    this.send(this.command(value));
  }

  static override styles = css`
    :host {
      display: block;
    }
    .row {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      font-size: 0.875rem;
    }
    .label {
      color: var(--hearth-text-muted);
    }
    output {
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    output.pending {
      animation: pending 1s ease-in-out infinite;
    }
    @keyframes pending {
      50% {
        opacity: 0.4;
      }
    }
    input {
      --track: linear-gradient(to right, var(--hearth-accent) var(--fill), var(--hearth-track) var(--fill));
      display: block;
      width: 100%;
      height: 44px;
      margin: 0;
      background: transparent;
      cursor: pointer;
      appearance: none;
      -webkit-appearance: none;
      touch-action: pan-y;
    }
    input:disabled {
      cursor: not-allowed;
      opacity: 0.5;
    }
    input:focus-visible {
      outline: none;
    }
    input::-webkit-slider-runnable-track {
      height: 10px;
      border-radius: 999px;
      background: var(--track);
      box-shadow: inset 0 0 0 1px rgb(0 0 0 / 6%);
    }
    input::-moz-range-track {
      height: 10px;
      border-radius: 999px;
      background: var(--track);
      box-shadow: inset 0 0 0 1px rgb(0 0 0 / 6%);
    }
    input::-webkit-slider-thumb {
      -webkit-appearance: none;
      width: 26px;
      height: 26px;
      margin-top: -8px;
      border-radius: 50%;
      border: 0;
      background: #fff;
      box-shadow: 0 1px 4px rgb(0 0 0 / 35%);
    }
    input::-moz-range-thumb {
      width: 26px;
      height: 26px;
      border-radius: 50%;
      border: 0;
      background: #fff;
      box-shadow: 0 1px 4px rgb(0 0 0 / 35%);
    }
    input:focus-visible::-webkit-slider-thumb {
      box-shadow: 0 0 0 3px var(--hearth-focus);
    }
    input:focus-visible::-moz-range-thumb {
      box-shadow: 0 0 0 3px var(--hearth-focus);
    }
    @media (prefers-reduced-motion: reduce) {
      output.pending {
        animation: none;
        text-decoration: underline dotted;
      }
    }
  `;
}

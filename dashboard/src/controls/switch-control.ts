import { css, html } from 'lit';
import type { SwitchCapability } from '../../../hub/protocol/device.js';
import { CapabilityControl } from './control.js';

/**
 * On/off as a real switch. A tap flips it at once and it pulses (aria-busy) until the
 * device reports back; then it shows what the device confirmed, which is also where it
 * returns if the command fails.
 */
export class HearthSwitchControl extends CapabilityControl<SwitchCapability> {
  override render() {
    const pending = this.pending !== undefined;
    const on = (pending ? this.pending!.value : this.confirmed) === true;
    return html`
      <button
        role="switch"
        aria-checked=${on ? 'true' : 'false'}
        aria-label=${this.controlName}
        aria-busy=${pending ? 'true' : 'false'}
        data-testid="switch-${this.device.id}${this.capability.entity ? `-${this.capability.entity.id}` : ''}"
        class=${pending ? 'pending' : ''}
        ?disabled=${this.disabled}
        @click=${() => this.send({ on: !on })}
      >
        <span class="track"><span class="thumb"></span></span>
      </button>
    `;
  }

  static override styles = css`
    :host {
      display: inline-flex;
    }
    button {
      display: grid;
      place-items: center;
      min-width: 64px;
      min-height: 48px;
      padding: 0;
      margin: 0 -6px 0 0;
      border: 0;
      border-radius: 999px;
      background: none;
      cursor: pointer;
      touch-action: manipulation;
    }
    button:disabled {
      cursor: not-allowed;
      opacity: 0.5;
    }
    button:focus-visible {
      outline: 3px solid var(--hearth-focus);
      outline-offset: -2px;
    }
    .track {
      position: relative;
      width: 52px;
      height: 32px;
      border-radius: 999px;
      background: var(--hearth-track);
      transition: background-color 180ms ease;
    }
    .thumb {
      position: absolute;
      top: 3px;
      left: 3px;
      width: 26px;
      height: 26px;
      border-radius: 50%;
      background: #fff;
      box-shadow: 0 1px 3px rgb(0 0 0 / 30%);
      transition: transform 180ms ease;
    }
    [aria-checked='true'] .track {
      background: var(--hearth-accent);
    }
    [aria-checked='true'] .thumb {
      transform: translateX(20px);
    }
    .pending .track {
      animation: pending 1s ease-in-out infinite;
    }
    @keyframes pending {
      50% {
        box-shadow: 0 0 0 5px color-mix(in srgb, var(--hearth-accent) 30%, transparent);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .track,
      .thumb {
        transition: none;
      }
      .pending .track {
        animation: none;
        outline: 2px dashed var(--hearth-accent);
        outline-offset: 2px;
      }
    }
  `;
}

customElements.define('hearth-switch-control', HearthSwitchControl);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-switch-control': HearthSwitchControl;
  }
}

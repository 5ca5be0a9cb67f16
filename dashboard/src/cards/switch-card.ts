import { DeviceCard } from './device-card.js';

/** A plug or relay: on when switched on; a metering plug shows its power and energy readings. */
export class HearthSwitchCard extends DeviceCard {
  protected isActive(): boolean {
    return this.device.state.on === true;
  }
}

customElements.define('hearth-switch-card', HearthSwitchCard);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-switch-card': HearthSwitchCard;
  }
}

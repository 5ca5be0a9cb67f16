import { anySwitchOn } from '../entities.js';
import { DeviceCard } from './device-card.js';

/** A plug or relay: on when it (or any of its relays) is switched on; a metering plug shows its power and energy readings. */
export class HearthSwitchCard extends DeviceCard {
  protected isActive(): boolean {
    return anySwitchOn(this.device);
  }
}

customElements.define('hearth-switch-card', HearthSwitchCard);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-switch-card': HearthSwitchCard;
  }
}

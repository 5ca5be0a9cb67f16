import { lightColor } from '../format.js';
import { anySwitchOn } from '../entities.js';
import { DeviceCard } from './device-card.js';

/** A light: on when it (or any of its lights) is switched on; its icon glows in the light's own colour. */
export class HearthLightCard extends DeviceCard {
  protected isActive(): boolean {
    return anySwitchOn(this.device);
  }

  protected override tint(): string | null {
    return lightColor(this.device.state);
  }
}

customElements.define('hearth-light-card', HearthLightCard);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-light-card': HearthLightCard;
  }
}

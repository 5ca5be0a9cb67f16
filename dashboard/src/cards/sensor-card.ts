import { DeviceCard } from './device-card.js';

/** A sensor: readings only; it counts as active while any of its binary sensors detects something. */
export class HearthSensorCard extends DeviceCard {
  protected isActive(): boolean {
    return this.device.capabilities.some((c) => c.type === 'binarySensor' && this.device.state[c.property] === true);
  }
}

customElements.define('hearth-sensor-card', HearthSensorCard);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-sensor-card': HearthSensorCard;
  }
}

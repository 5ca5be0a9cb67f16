import type { SensorCapability } from '../../../hub/protocol/device.js';
import { formatReading, readingParts } from '../format.js';
import { CapabilityControl } from './control.js';
import { chip, tile, tileStyles } from './tile.js';

/** Battery percentage at which the level is shown as a warning. */
const LOW_BATTERY = 20;

/** A numeric (or text) reading with its unit, e.g. Temperature 21.4°C. */
export class HearthSensorValue extends CapabilityControl<SensorCapability> {
  static override styles = tileStyles;

  override render() {
    if (!this.compact) {
      const { text, unit } = readingParts(this.confirmed, this.capability);
      return tile(this.device.id, this.capability, text, unit);
    }
    const text = formatReading(this.confirmed, this.capability);
    const low = this.capability.deviceClass === 'battery' && typeof this.confirmed === 'number' && this.confirmed <= LOW_BATTERY;
    return chip(this.capability, text, low);
  }
}

customElements.define('hearth-sensor-value', HearthSensorValue);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-sensor-value': HearthSensorValue;
  }
}

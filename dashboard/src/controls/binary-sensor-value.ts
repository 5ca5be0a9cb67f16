import type { BinarySensorCapability } from '../../../hub/protocol/device.js';
import { formatBinary } from '../format.js';
import { CapabilityControl } from './control.js';
import { tile, tileStyles } from './tile.js';

/** A yes/no reading, worded by its device class: Motion/Clear, Open/Closed, On/Off. */
export class HearthBinarySensorValue extends CapabilityControl<BinarySensorCapability> {
  static override styles = tileStyles;

  override render() {
    return tile(this.device.id, this.capability, formatBinary(this.confirmed, this.capability), '', this.confirmed === true);
  }
}

customElements.define('hearth-binary-sensor-value', HearthBinarySensorValue);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-binary-sensor-value': HearthBinarySensorValue;
  }
}

import type { BinarySensorCapability } from '../../../hub/protocol/device.js';
import { formatBinary } from '../format.js';
import { CapabilityControl } from './control.js';
import { chip, tile, tileStyles } from './tile.js';

/** A yes/no reading, worded by its device class: Motion/Clear, Open/Closed, On/Off. */
export class HearthBinarySensorValue extends CapabilityControl<BinarySensorCapability> {
  static override styles = tileStyles;

  override render() {
    const text = formatBinary(this.confirmed, this.capability);
    return this.compact ? chip(this.capability, text, this.confirmed === true) : tile(this.device.id, this.capability, text, '', this.confirmed === true);
  }
}

customElements.define('hearth-binary-sensor-value', HearthBinarySensorValue);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-binary-sensor-value': HearthBinarySensorValue;
  }
}

import type { ColorTempCapability, DeviceCommand } from '../../../hub/protocol/device.js';
import { formatKelvin, kelvinFromMireds, rgbFromKelvin, rgbToHex } from '../format.js';
import { RangeControl } from './range-control.js';

/** Colour temperature in mireds (what the hub speaks), read in kelvin (what lamps are sold by). */
export class HearthColorTempControl extends RangeControl<ColorTempCapability> {
  protected readonly label = 'Colour temperature';

  protected format(value: number): string {
    return formatKelvin(value);
  }

  protected command(value: number): DeviceCommand {
    return { colorTemp: value };
  }

  /** The track shows the light itself: cool white on the left (few mireds), warm on the right. */
  protected override trackStyle(): string {
    const cool = rgbToHex(rgbFromKelvin(kelvinFromMireds(this.capability.min)));
    const warm = rgbToHex(rgbFromKelvin(kelvinFromMireds(this.capability.max)));
    return `--track: linear-gradient(to right, ${cool}, ${warm})`;
  }
}

customElements.define('hearth-color-temp-control', HearthColorTempControl);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-color-temp-control': HearthColorTempControl;
  }
}

import type { BrightnessCapability, DeviceCommand } from '../../../hub/protocol/device.js';
import { brightnessPercent } from '../format.js';
import { RangeControl } from './range-control.js';

/** Brightness on the hub's 0-255 scale, read as a percentage. */
export class HearthBrightnessControl extends RangeControl<BrightnessCapability> {
  protected readonly label = 'Brightness';

  protected format(value: number): string {
    return `${brightnessPercent(value)}%`;
  }

  protected command(value: number): DeviceCommand {
    return { brightness: value };
  }
}

customElements.define('hearth-brightness-control', HearthBrightnessControl);

declare global {
  interface HTMLElementTagNameMap {
    'hearth-brightness-control': HearthBrightnessControl;
  }
}

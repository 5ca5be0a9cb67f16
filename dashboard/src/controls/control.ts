import { LitElement } from 'lit';
import type { Capability, Device, DeviceCommand, StateValue } from '../../../hub/protocol/device.js';
import { requestCommand } from '../events.js';
import type { PendingValue } from '../store.js';

/**
 * What every capability control is given: its device and capability (data down), the value
 * sent but not yet confirmed, if any, and whether it may be used. It asks for changes with a
 * `device-command` event (events up) and never talks to the hub itself.
 */
export class CapabilityControl<C extends Capability = Capability> extends LitElement {
  static override properties = {
    device: { attribute: false },
    capability: { attribute: false },
    pending: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    compact: { type: Boolean, reflect: true },
  };

  declare device: Device;
  declare capability: C;
  declare pending: PendingValue | undefined;
  declare disabled: boolean;
  /** Asked for a small inline form; controls without one ignore it. */
  declare compact: boolean;

  constructor() {
    super();
    this.disabled = false;
    this.compact = false;
  }

  /** The value the device last confirmed. */
  protected get confirmed(): StateValue | undefined {
    return this.device.state[this.capability.property];
  }

  protected send(command: DeviceCommand): void {
    requestCommand(this, this.device.id, command);
  }
}

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

  /**
   * Controls speak of their capability's kind (`{ on: true }`); a further entity's capability
   * goes by its own property (`on.relay_2`), which the command then names.
   */
  protected send(command: DeviceCommand): void {
    const { property } = this.capability;
    const [entry] = Object.entries(command);
    const named = entry && entry[0] !== property && this.capability.entity ? ({ [property]: entry[1] } as DeviceCommand) : command;
    requestCommand(this, this.device.id, named);
  }

  /** What a screen reader calls the control: the device, and the entity when it has several. */
  protected get controlName(): string {
    return this.capability.entity ? `${this.device.name} ${this.capability.entity.name}` : this.device.name;
  }
}

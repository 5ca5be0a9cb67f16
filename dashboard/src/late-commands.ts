import type { Device, DeviceCommand, StateValue } from '../../hub/protocol/device.js';
import type { CommandRecord } from '../../hub/protocol/messages.js';
import { sameValue } from './format.js';

/** How long after a command failed a report that matches it still counts as that command, applied late. */
export const LATE_WINDOW_MS = 120_000;

/**
 * Commands of this page that "did not confirm" in time. A paused device may still carry one
 * out later; when its report then shows what was asked, the page says so rather than leave
 * the person believing nothing happened. Pure: the clock is passed in.
 */
export class LateCommands {
  readonly #missed = new Map<string, CommandRecord>();

  /** A command of ours failed: watch its device for a while. */
  missed(record: CommandRecord): void {
    this.#missed.set(record.device, record);
  }

  /** The missed command this report carries out, if any, with how long after sending; it stops being watched. */
  applied(device: Device, now: number): { record: CommandRecord; afterMs: number } | null {
    const record = this.#missed.get(device.id);
    if (!record) return null;
    if (now - record.issuedAt > LATE_WINDOW_MS) {
      this.#missed.delete(device.id);
      return null;
    }
    const asked = Object.entries(record.command) as [keyof DeviceCommand, StateValue][];
    if (!asked.every(([property, value]) => sameValue(device.state[property], value))) return null;
    this.#missed.delete(device.id);
    return { record, afterMs: now - record.issuedAt };
  }

  /** Another command to the device replaces what was missed. */
  forget(deviceId: string): void {
    this.#missed.delete(deviceId);
  }
}

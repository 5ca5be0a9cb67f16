import type { Bridge } from '../bridge/bridge.js';
import type { CommandRecord } from '../protocol/messages.js';
import type { CommandTracker } from './tracker.js';

export type SendResult =
  | { ok: true; record: CommandRecord; settled: Promise<CommandRecord> }
  | { ok: false; code: 'DEVICE_NOT_FOUND' | 'INVALID_COMMAND'; message: string }
  | { ok: false; code: 'DEVICE_OFFLINE'; message: string; record: CommandRecord };

/** The one command path, used by REST and WebSocket alike: validate, send, track. */
export class Commands {
  constructor(
    private readonly bridge: Bridge,
    private readonly tracker: CommandTracker,
  ) {}

  /** The device's pending and recently settled commands, newest first. */
  recent(id: string): CommandRecord[] {
    return this.tracker.of(id);
  }

  send(id: string, command: unknown): SendResult {
    const outcome = this.bridge.command(id, command);
    if (outcome.ok) {
      // Confirmation arrives as a later MQTT message, never within this call.
      const { record, settled } = this.tracker.start(id, outcome.command);
      void outcome.delivered.then((ok) => ok || this.tracker.fail(id, record.id, 'publish-failed'));
      // A device that reports nothing back is taken at its word, which confirms the command.
      if (outcome.assumed) this.bridge.assume(id, outcome.assumed);
      return { ok: true, record, settled };
    }
    if (outcome.code === 'DEVICE_OFFLINE') {
      return { ...outcome, code: 'DEVICE_OFFLINE', record: this.tracker.refuse(id, outcome.command, 'offline') };
    }
    return outcome;
  }
}

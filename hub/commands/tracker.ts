import { randomUUID } from 'node:crypto';
import type { DeviceCommand, DeviceState, Rgb } from '../protocol/device.js';
import type { CommandFailure, CommandRecord } from '../protocol/messages.js';
import type { DeviceChange } from '../registry/registry.js';

interface Pending {
  record: CommandRecord;
  timer: NodeJS.Timeout;
  settle: (record: CommandRecord) => void;
}

/**
 * Follows each command until the device confirms it (reports the requested state) or it
 * fails (the device goes offline, or no confirmation within the timeout). Every step is
 * announced through `announce`, which journals it.
 */
/** Settled commands kept per device, for its page ("confirmed in 23 ms"). */
const RECENT_PER_DEVICE = 10;

export class CommandTracker {
  private readonly pending = new Map<string, Pending[]>();
  private readonly recent = new Map<string, CommandRecord[]>();

  constructor(
    private readonly timeoutMs: number,
    private readonly announce: (record: CommandRecord) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts tracking; the promise resolves once the command is confirmed or failed. */
  start(device: string, command: DeviceCommand): { record: CommandRecord; settled: Promise<CommandRecord> } {
    const record: CommandRecord = { id: randomUUID(), device, command, status: 'pending', issuedAt: this.now() };
    this.announce(record);
    let settle!: (r: CommandRecord) => void;
    const settled = new Promise<CommandRecord>((resolve) => (settle = resolve));
    const timer = setTimeout(() => this.finish(device, record.id, { status: 'failed', reason: 'timeout' }), this.timeoutMs);
    timer.unref();
    const list = this.pending.get(device) ?? [];
    list.push({ record, timer, settle });
    this.pending.set(device, list);
    return { record, settled };
  }

  /** A command that could not be sent at all still gets its record and its failure. */
  refuse(device: string, command: DeviceCommand, reason: CommandFailure): CommandRecord {
    const record: CommandRecord = { id: randomUUID(), device, command, status: 'failed', reason, issuedAt: this.now() };
    this.remember(record);
    this.announce(record);
    return record;
  }

  fail(device: string, id: string, reason: CommandFailure): void {
    this.finish(device, id, { status: 'failed', reason });
  }

  /** Registry listener. */
  observe = (change: DeviceChange): void => {
    if (change.type === 'removed') this.forget(change.from.id);
    const list = change.to && this.pending.get(change.to.id);
    if (!list) return;
    if (change.type === 'state') {
      for (const p of [...list]) if (fulfils(change.to.state, p.record.command)) this.finish(change.to.id, p.record.id, { status: 'confirmed' });
    } else if (change.type === 'availability' && !change.to.online) {
      for (const p of [...list]) this.finish(change.to.id, p.record.id, { status: 'failed', reason: 'offline' });
    }
  };

  /** Fails whatever is still pending: the hub is stopping. */
  close(): void {
    for (const [device, list] of this.pending) for (const p of [...list]) this.finish(device, p.record.id, { status: 'failed', reason: 'offline' });
  }

  private finish(device: string, id: string, outcome: Pick<CommandRecord, 'status' | 'reason'>): void {
    const list = this.pending.get(device);
    const index = list?.findIndex((p) => p.record.id === id) ?? -1;
    if (!list || index === -1) return;
    const [p] = list.splice(index, 1);
    if (list.length === 0) this.pending.delete(device);
    clearTimeout(p!.timer);
    const record: CommandRecord = { ...p!.record, ...outcome };
    if (outcome.status === 'confirmed') record.latencyMs = this.now() - record.issuedAt;
    this.remember(record);
    this.announce(record);
    p!.settle(record);
  }

  /** The device's commands still pending and the last settled ones, newest first. */
  of(device: string): CommandRecord[] {
    return [...(this.pending.get(device) ?? []).map((p) => p.record).reverse(), ...(this.recent.get(device) ?? [])];
  }

  forget(device: string): void {
    this.recent.delete(device);
  }

  private remember(record: CommandRecord): void {
    const list = this.recent.get(record.device) ?? [];
    list.unshift(record);
    if (list.length > RECENT_PER_DEVICE) list.pop();
    this.recent.set(record.device, list);
  }
}

/**
 * Devices round: a bulb on a 0-254 scale reports 127 for the hub's 128, kelvin firmware
 * turns 300 mireds into 299. A confirmation within these margins counts.
 */
const tolerance = { brightness: 2, colorTemp: 3, color: 3 };

export function fulfils(state: DeviceState, command: DeviceCommand): boolean {
  // A property of a further entity (`on.relay_2`) is judged as its kind (`on`).
  return Object.entries(command).every(([key, wanted]) => wanted === undefined || matches(key.split('.')[0]!, state[key], wanted));
}

function matches(kind: string, actual: unknown, wanted: unknown): boolean {
  if (kind === 'color') {
    const c = actual as Rgb | undefined;
    return !!c && (['r', 'g', 'b'] as const).every((k) => near(c[k], (wanted as Rgb)[k], tolerance.color));
  }
  if (Object.hasOwn(tolerance, kind)) return near(actual, wanted as number, tolerance[kind as keyof typeof tolerance]);
  return actual === wanted;
}

function near(value: unknown, target: number, margin: number): boolean {
  return typeof value === 'number' && Math.abs(value - target) <= margin;
}

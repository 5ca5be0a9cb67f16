/**
 * The dashboard's one store: devices by id, and the commands sent but not yet confirmed.
 * Every change returns a new state and replaces only the objects that changed, so an
 * element can tell by identity alone whether its device moved.
 */
import type { Device, DeviceCommand, Room, StateValue } from '../../hub/protocol/device.js';
import type { CommandRecord, ServerMessage } from '../../hub/protocol/messages.js';
import { sameValue } from './format.js';
import { anySwitchOn } from './entities.js';

/**
 * A commanded property waiting for the device. The hub tracks every command (its `command`
 * events go pending, then confirmed or failed); `ref` marks one this dashboard sent, before
 * the hub has given it an id.
 */
export interface PendingValue {
  value: StateValue;
  ref?: string;
  commandId?: string;
}

/** Pending values of one device, by property (`on`, `brightness`, ...). */
export type DevicePending = Readonly<Partial<Record<keyof DeviceCommand, PendingValue>>>;

/** How long the device took to confirm its last command, and when that was. */
export interface Confirmation {
  latencyMs: number;
  at: number;
}

export interface StoreState {
  /** False until the first snapshot arrives. */
  loaded: boolean;
  /** Sequence number of the last event applied: an event at or below it is old news. */
  seq: number;
  devices: ReadonlyMap<string, Device>;
  rooms: readonly Room[];
  pending: ReadonlyMap<string, DevicePending>;
  confirmations: ReadonlyMap<string, Confirmation>;
}

export const initialState: StoreState = { loaded: false, seq: 0, devices: new Map(), rooms: [], pending: new Map(), confirmations: new Map() };

type Handlers = { [T in ServerMessage['type']]: (state: StoreState, message: Extract<ServerMessage, { type: T }>) => StoreState };

const handlers: Handlers = {
  snapshot: (state, { seq, devices, rooms }) => ({
    loaded: true,
    seq,
    devices: new Map(devices.map((d) => [d.id, d])),
    rooms,
    // Starting over: the snapshot carries no commands, and their outcome shows in the state.
    pending: new Map(),
    confirmations: state.confirmations,
  }),
  rooms: (state, { rooms }) => ({ ...state, rooms }),
  // The missed events came first, and named every command the hub received; the rest never reached it.
  resumed: (state) => updatePending(state, (p) => p.commandId !== undefined || p.ref === undefined),
  device: (state, { device }) => ({ ...state, devices: withEntry(state.devices, device.id, device) }),
  state: (state, { id, state: reported, lastSeen }) => {
    const device = state.devices.get(id);
    return device ? { ...state, devices: withEntry(state.devices, id, { ...device, state: reported, lastSeen }) } : state;
  },
  availability: (state, { id, online }) => {
    const device = state.devices.get(id);
    return device && device.online !== online ? { ...state, devices: withEntry(state.devices, id, { ...device, online }) } : state;
  },
  removed: (state, { id }) =>
    state.devices.has(id) ? { ...state, devices: withoutEntry(state.devices, id), pending: withoutEntry(state.pending, id) } : state,
  command: (state, { command: record }) => (record.status === 'pending' ? commandPending(state, record) : commandSettled(state, record)),
  ack: (state, { ref, command: record }) =>
    updatePending(state, (p) => p.ref !== ref || record.status === 'pending', (p) => (p.ref === ref ? { ...p, commandId: record.id } : p)),
  error: (state, { ref }) => (ref === undefined ? state : forgetRef(state, ref)),
  // Scenes, automations, their runs and notifications are kept by automations/home-store.ts.
  scenes: (state) => state,
  automation: (state) => state,
  trace: (state) => state,
  notification: (state) => state,
};

const JOURNALLED = new Set<ServerMessage['type']>(['device', 'state', 'availability', 'removed', 'command', 'rooms']);

/**
 * The pure reducer for everything the hub sends. Journal events apply in sequence order
 * only, so the page can never show an older state of a device after a newer one.
 */
export function reduce(state: StoreState, message: ServerMessage): StoreState {
  const handler = handlers[message.type] as ((s: StoreState, m: ServerMessage) => StoreState) | undefined;
  if (!handler) return state;
  if (!JOURNALLED.has(message.type)) return handler(state, message);
  const { seq } = message as { seq: number };
  if (seq <= state.seq) return state;
  // An event that changes nothing leaves the very same state, so nothing re-renders.
  const next = handler(state, message);
  return next === state ? state : { ...next, seq };
}

/** Records a command as sent: each of its properties shows as pending until the hub settles it. */
export function commandSent(state: StoreState, sent: { ref: string; id: string; command: DeviceCommand }): StoreState {
  const entries = Object.entries(sent.command) as [keyof DeviceCommand, StateValue][];
  if (entries.length === 0) return state;
  const added = Object.fromEntries(entries.map(([property, value]) => [property, { ref: sent.ref, value }]));
  return { ...state, pending: withEntry(state.pending, sent.id, { ...state.pending.get(sent.id), ...added }) };
}

/** Drops what is pending from the command with this ref (the hub refused it). */
export function forgetRef(state: StoreState, ref: string): StoreState {
  return updatePending(state, (p) => p.ref !== ref);
}

/** The device, if any, a still-pending command with this ref was sent to. */
export function deviceForRef(state: StoreState, ref: string): Device | undefined {
  return findPending(state, (p) => p.ref === ref);
}

/** The device a command record belongs to, if this dashboard sent that command. */
export function deviceForOwnCommand(state: StoreState, record: CommandRecord): Device | undefined {
  return findPending(state, (p) => p.commandId === record.id && p.ref !== undefined);
}

/**
 * A command any client sent is under way: its properties pulse on every dashboard. The event
 * may overtake our own ack, so an entry of ours with the same value takes the hub's id here.
 */
function commandPending(state: StoreState, record: CommandRecord): StoreState {
  const current = state.pending.get(record.device) ?? {};
  const next: Record<string, PendingValue> = { ...current };
  for (const [property, value] of Object.entries(record.command) as [keyof DeviceCommand, StateValue][]) {
    const mine = current[property];
    const ours = mine && (mine.commandId === record.id || (mine.commandId === undefined && sameValue(mine.value, value)));
    next[property] = ours ? { ...mine, commandId: record.id } : { value, commandId: record.id };
  }
  return state.devices.has(record.device) ? { ...state, pending: withEntry(state.pending, record.device, next) } : state;
}

/** Confirmed or failed: the properties stop pulsing and show the reported state again. */
function commandSettled(state: StoreState, record: CommandRecord): StoreState {
  const settled = updatePending(state, (p) => p.commandId !== record.id);
  if (record.status !== 'confirmed' || record.latencyMs === undefined) return settled;
  const confirmation = { latencyMs: record.latencyMs, at: record.issuedAt + record.latencyMs };
  return { ...settled, confirmations: withEntry(settled.confirmations, record.device, confirmation) };
}

function findPending(state: StoreState, test: (p: PendingValue) => boolean): Device | undefined {
  for (const [id, values] of state.pending) if (Object.values(values).some(test)) return state.devices.get(id);
  return undefined;
}

/** Keeps the pending values `keep` accepts, mapped by `map`; unchanged devices keep their objects. */
function updatePending(state: StoreState, keep: (p: PendingValue) => boolean, map: (p: PendingValue) => PendingValue = (p) => p): StoreState {
  let pending = state.pending;
  for (const [id, values] of state.pending) {
    const entries = Object.entries(values) as [string, PendingValue][];
    const next = entries.filter(([, p]) => keep(p)).map(([k, p]) => [k, map(p)] as const);
    if (next.length === entries.length && next.every(([k, p]) => values[k as keyof DeviceCommand] === p)) continue;
    pending = next.length ? withEntry(pending, id, Object.fromEntries(next)) : withoutEntry(pending, id);
  }
  return pending === state.pending ? state : { ...state, pending };
}

function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> {
  return new Map(map).set(key, value);
}

function withoutEntry<V>(map: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  if (!map.has(key)) return map;
  const next = new Map(map);
  next.delete(key);
  return next;
}

/** Holds the current state and tells subscribers when it is replaced. */
export class Store {
  #state: StoreState = initialState;
  readonly #listeners = new Set<(state: StoreState) => void>();

  get state(): StoreState {
    return this.#state;
  }

  update(change: (state: StoreState) => StoreState): void {
    const next = change(this.#state);
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }

  subscribe(listener: (state: StoreState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The header's one-line summary of the home. */
export function summarize(state: StoreState): { total: number; online: number; lightsOn: number } {
  const devices = [...state.devices.values()];
  return {
    total: devices.length,
    online: devices.filter((d) => d.online).length,
    lightsOn: devices.filter((d) => d.kind === 'light' && d.online && anySwitchOn(d)).length,
  };
}

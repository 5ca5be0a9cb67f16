import { describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import type { CommandRecord, ServerMessage } from '../../hub/protocol/messages.js';
import { commandSent, deviceForOwnCommand, deviceForRef, initialState, reduce, type StoreState } from '../../dashboard/src/store.js';

function device(id: string, overrides: Partial<Device> = {}): Device {
  return {
    id,
    name: id,
    announcedName: id,
    room: null,
    favourite: false,
    position: null,
    kind: 'light',
    manufacturer: null,
    model: null,
    capabilities: [{ type: 'switch', property: 'on', writable: true }],
    entities: [],
    state: { on: false },
    online: true,
    lastSeen: 1,
    source: { protocol: 'homeassistant', topics: { discovery: [], state: [], command: [], availability: [] }, problems: [] },
    ...overrides,
  };
}

const record = (status: CommandRecord['status'], id = 'cmd-1'): CommandRecord => ({ id, device: 'lamp', command: { on: true }, status, issuedAt: 5 });

const loaded = (...devices: Device[]): StoreState => reduce(initialState, { type: 'snapshot', seq: 1, reset: false, rooms: [], devices });

describe('the dashboard store', () => {
  it.each<[string, ServerMessage, (s: StoreState) => unknown, unknown]>([
    ['a snapshot replaces every device', { type: 'snapshot', seq: 2, reset: true, rooms: [], devices: [device('plug')] }, (s) => [...s.devices.keys()], ['plug']],
    ['a device message adds a device', { type: 'device', seq: 2, device: device('plug') }, (s) => [...s.devices.keys()], ['lamp', 'plug']],
    [
      'a state message replaces state and lastSeen',
      { type: 'state', seq: 2, id: 'lamp', state: { on: true }, changed: { on: true }, lastSeen: 9 },
      (s) => s.devices.get('lamp')?.state,
      { on: true },
    ],
    ['availability sets online', { type: 'availability', seq: 2, id: 'lamp', online: false }, (s) => s.devices.get('lamp')?.online, false],
    ['removed deletes the device', { type: 'removed', seq: 2, id: 'lamp' }, (s) => s.devices.size, 0],
  ])('%s', (_name, message, select, expected) => {
    const before = loaded(device('lamp'));
    const frozen = before.devices.get('lamp')!;
    const after = reduce(before, message);
    expect(select(after)).toStrictEqual(expected);
    // Replaced, never mutated.
    expect(frozen).toStrictEqual(device('lamp'));
    expect(before.devices.size).toBe(1);
  });

  it('keeps the objects of devices that did not change', () => {
    const before = loaded(device('lamp'), device('plug'));
    const after = reduce(before, { type: 'state', seq: 2, id: 'lamp', state: { on: true }, changed: { on: true }, lastSeen: 9 });
    expect(after.devices.get('plug')).toBe(before.devices.get('plug'));
    expect(after.devices.get('lamp')).not.toBe(before.devices.get('lamp'));
  });

  it('ignores news of unknown devices without making a new state', () => {
    const before = loaded(device('lamp'));
    expect(reduce(before, { type: 'state', seq: 2, id: 'ghost', state: {}, changed: {}, lastSeen: 1 })).toBe(before);
    expect(reduce(before, { type: 'availability', seq: 2, id: 'ghost', online: false })).toBe(before);
  });

  it('shows a sent command as pending until the hub says it was confirmed', () => {
    let state = commandSent(loaded(device('lamp')), { ref: 'r1', id: 'lamp', command: { on: true } });
    expect(state.pending.get('lamp')).toStrictEqual({ on: { ref: 'r1', value: true } });
    state = reduce(state, { type: 'ack', ref: 'r1', id: 'lamp', command: record('pending') });
    state = reduce(state, { type: 'command', seq: 2, command: record('pending') });
    expect(state.pending.get('lamp')).toStrictEqual({ on: { ref: 'r1', value: true, commandId: 'cmd-1' } });
    expect(deviceForOwnCommand(state, record('failed'))?.id).toBe('lamp');
    state = reduce(state, { type: 'command', seq: 3, command: record('confirmed') });
    expect(state.pending.size).toBe(0);
  });

  it('matches its own command when the hub event overtakes the ack', () => {
    let state = commandSent(loaded(device('lamp')), { ref: 'r1', id: 'lamp', command: { on: true } });
    state = reduce(state, { type: 'command', seq: 2, command: record('pending') });
    expect(state.pending.get('lamp')?.on).toStrictEqual({ ref: 'r1', value: true, commandId: 'cmd-1' });
  });

  it('shows commands from other clients as pending too, but not as its own', () => {
    const state = reduce(loaded(device('lamp')), { type: 'command', seq: 2, command: record('pending') });
    expect(state.pending.get('lamp')).toStrictEqual({ on: { value: true, commandId: 'cmd-1' } });
    expect(deviceForOwnCommand(state, record('failed'))).toBeUndefined();
  });

  it('forgets a refused command, after telling who it was for', () => {
    const state = commandSent(loaded(device('lamp')), { ref: 'r1', id: 'lamp', command: { on: true } });
    expect(deviceForRef(state, 'r1')?.id).toBe('lamp');
    expect(reduce(state, { type: 'error', ref: 'r1', code: 'DEVICE_OFFLINE', message: 'offline' }).pending.size).toBe(0);
  });

  it('on resume, forgets commands the hub never received', () => {
    let state = commandSent(loaded(device('lamp')), { ref: 'lost', id: 'lamp', command: { on: true } });
    state = reduce(state, { type: 'resumed', from: 1, seq: 1 });
    expect(state.pending.size).toBe(0);
  });
});

describe('ordering and confirmations', () => {
  const lamp = device('lamp');
  const stateEvent = (seq: number, on: boolean): ServerMessage => ({ type: 'state', seq, id: 'lamp', state: { on }, changed: { on }, lastSeen: seq });

  it('never applies an older event after a newer one', () => {
    const loaded = reduce(initialState, { type: 'snapshot', seq: 1, reset: false, rooms: [], devices: [lamp] });
    const newer = reduce(loaded, stateEvent(3, true));
    const replayed = reduce(newer, stateEvent(2, false));
    expect(replayed).toBe(newer);
    expect(replayed.devices.get('lamp')!.state).toStrictEqual({ on: true });
  });

  it('remembers how long the device took to confirm', () => {
    const loaded = reduce(initialState, { type: 'snapshot', seq: 1, reset: false, rooms: [], devices: [lamp] });
    const confirmed = reduce(loaded, { type: 'command', seq: 2, command: { id: 'c', device: 'lamp', command: { on: true }, status: 'confirmed', issuedAt: 1000, latencyMs: 23 } });
    expect(confirmed.confirmations.get('lamp')).toStrictEqual({ latencyMs: 23, at: 1023 });
  });

  it('follows the rooms', () => {
    const loaded = reduce(initialState, { type: 'snapshot', seq: 1, reset: false, rooms: [], devices: [lamp] });
    const rooms = [{ id: 'k', name: 'Kitchen', position: 0 }];
    expect(reduce(loaded, { type: 'rooms', seq: 2, rooms }).rooms).toStrictEqual(rooms);
  });
});

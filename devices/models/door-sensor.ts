/**
 * A battery door contact (like an Aqara MCCGQ11LM). Zigbee2MQTT reports `contact: true`
 * when the magnet touches, i.e. the door is closed; Home Assistant's door class means
 * ON = open, hence `payload_on: false`.
 * https://www.zigbee2mqtt.io/devices/MCCGQ11LM.html
 */
import { between, happened } from '../random.js';
import { battery, binarySensor, type DeviceRef } from './discovery.js';
import { refuseCommands, type DeviceModel } from './model.js';
import { drainBattery, elapsed } from './physics.js';

export interface DoorState {
  /** true: closed. */
  readonly contact: boolean;
  readonly battery: number;
  readonly at: number;
}

const WORDS = 'door sensor';
/** Doors stay shut for a while and are not left open long. */
const MEAN_MS_CLOSED = 600_000;
const MEAN_MS_OPEN = 20_000;

export const doorSensor: DeviceModel<DoorState> = {
  words: WORDS,
  periodic: true,
  initialState: (random, now) => ({ contact: true, battery: between(random, 60, 100), at: now }),
  applyCommand: refuseCommands,
  tick: (state, { now, random }) => {
    const ms = elapsed(state.at, now);
    const flips = happened(random, ms, state.contact ? MEAN_MS_CLOSED : MEAN_MS_OPEN);
    return { contact: flips ? !state.contact : state.contact, battery: drainBattery(state.battery, ms), at: now };
  },
  toStatePayload: (state) => ({ contact: state.contact, battery: Math.round(state.battery) }),
  discoveryConfigs: (id, name) => {
    const device: DeviceRef = { id, name, words: WORDS };
    return [binarySensor(device, 'contact', { name: 'Door', deviceClass: 'door', on: false }), battery(device)];
  },
};

/**
 * A metering smart plug (like a Zigbee2MQTT-paired Innr or Tuya plug): a relay that
 * reports the power drawn through it and the energy used so far.
 */
import { deviceTopics } from '../../hub/protocol/topics.js';
import { between } from '../random.js';
import { entity, sensor, type DeviceRef } from './discovery.js';
import { isObject, type DeviceModel } from './model.js';
import { drift, elapsed, round } from './physics.js';

export interface PlugState {
  readonly on: boolean;
  /** What the appliance behind the plug draws when on, in watts. */
  readonly load: number;
  readonly power: number;
  /** kWh since the plug was new; only ever grows. */
  readonly energy: number;
  readonly at: number;
}

const MS_PER_HOUR = 3_600_000;
const WORDS = 'plug';

function applyPlugCommand(state: PlugState, payload: unknown): PlugState | Error {
  if (!isObject(payload)) return new Error('command must be a JSON object');
  const value = payload.state;
  if (value !== 'ON' && value !== 'OFF' && value !== 'TOGGLE') return new Error('state must be ON, OFF or TOGGLE');
  const on = value === 'TOGGLE' ? !state.on : value === 'ON';
  // The meter sees the load the moment the relay closes, and nothing once it opens.
  return { ...state, on, power: on ? state.load : 0 };
}

export const plug: DeviceModel<PlugState> = {
  words: WORDS,
  periodic: true,
  initialState: (random, now) => {
    const on = random() < 0.5;
    const load = round(between(random, 5, 150), 1);
    return { on, load, power: on ? load : 0, energy: between(random, 0, 20), at: now };
  },
  applyCommand: applyPlugCommand,
  tick: (state, { now, random }) => {
    const ms = elapsed(state.at, now);
    // What was drawn since the last step, at the power measured then.
    const energy = state.energy + (state.power * ms) / MS_PER_HOUR / 1000;
    const load = { mean: state.load, spread: state.load * 0.03, timeConstantMs: 20_000 };
    const power = state.on ? Math.max(0, drift(state.power, load, ms, random)) : 0;
    return { ...state, power, energy, at: now };
  },
  toStatePayload: (state) => ({
    state: state.on ? 'ON' : 'OFF',
    power: round(state.power, 1),
    energy: round(state.energy, 3),
  }),
  discoveryConfigs: (id, name) => {
    const device: DeviceRef = { id, name, words: WORDS };
    return [
      entity(device, 'switch', 'switch', {
        name: null,
        value_template: '{{ value_json.state }}',
        command_topic: deviceTopics(id).set,
        payload_on: '{"state":"ON"}',
        payload_off: '{"state":"OFF"}',
        state_on: 'ON',
        state_off: 'OFF',
      }),
      sensor(device, 'power', { name: 'Power', deviceClass: 'power', unit: 'W' }),
      sensor(device, 'energy', { name: 'Energy', deviceClass: 'energy', unit: 'kWh', stateClass: 'total_increasing' }),
    ];
  },
};

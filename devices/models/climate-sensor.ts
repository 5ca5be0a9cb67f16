/**
 * A battery temperature and humidity sensor (like an Aqara WSDCGQ11LM). Readings wander
 * around the room's own set point and humidity and drift back, as a heated room does.
 */
import { between } from '../random.js';
import { battery, sensor, type DeviceRef } from './discovery.js';
import { refuseCommands, type DeviceModel } from './model.js';
import { clamp, drainBattery, drift, elapsed, round, type Drift } from './physics.js';

export interface ClimateState {
  /** Where the heating holds this room, °C. */
  readonly setPoint: number;
  /** The room's usual relative humidity, %. */
  readonly usualHumidity: number;
  readonly temperature: number;
  readonly humidity: number;
  readonly battery: number;
  readonly at: number;
}

const WORDS = 'climate sensor';
const TEN_MINUTES = 600_000;
const temperatureDrift = (state: ClimateState): Drift => ({ mean: state.setPoint, spread: 0.6, timeConstantMs: TEN_MINUTES });
const humidityDrift = (state: ClimateState): Drift => ({ mean: state.usualHumidity, spread: 3, timeConstantMs: TEN_MINUTES });

export const climateSensor: DeviceModel<ClimateState> = {
  words: WORDS,
  periodic: true,
  initialState: (random, now) => {
    const setPoint = round(between(random, 19, 23), 1);
    const usualHumidity = round(between(random, 35, 55), 1);
    return { setPoint, usualHumidity, temperature: setPoint, humidity: usualHumidity, battery: between(random, 60, 100), at: now };
  },
  applyCommand: refuseCommands,
  tick: (state, { now, random }) => {
    const ms = elapsed(state.at, now);
    return {
      ...state,
      // Bounds only guard against a freak sample: indoors, and humidity is a percentage.
      temperature: clamp(drift(state.temperature, temperatureDrift(state), ms, random), 5, 35),
      humidity: clamp(drift(state.humidity, humidityDrift(state), ms, random), 0, 100),
      battery: drainBattery(state.battery, ms),
      at: now,
    };
  },
  toStatePayload: (state) => ({
    temperature: round(state.temperature, 1),
    humidity: round(state.humidity, 1),
    battery: Math.round(state.battery),
  }),
  discoveryConfigs: (id, name) => {
    const device: DeviceRef = { id, name, words: WORDS };
    return [
      sensor(device, 'temperature', { name: 'Temperature', deviceClass: 'temperature', unit: '°C' }),
      sensor(device, 'humidity', { name: 'Humidity', deviceClass: 'humidity', unit: '%' }),
      battery(device),
    ];
  },
};

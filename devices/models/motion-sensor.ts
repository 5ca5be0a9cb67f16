/**
 * A battery PIR motion sensor (like an Aqara RTCGQ11LM): reports occupancy when it sees
 * motion and clears it once no motion has been seen for the occupancy timeout.
 * https://www.zigbee2mqtt.io/devices/RTCGQ11LM.html (occupancy_timeout)
 */
import { between, happened } from '../random.js';
import { battery, binarySensor, type DeviceRef } from './discovery.js';
import { refuseCommands, type DeviceModel } from './model.js';
import { drainBattery, elapsed } from './physics.js';

export interface MotionState {
  readonly occupancy: boolean;
  /** When motion was last seen, epoch ms. */
  readonly lastMotion: number;
  readonly battery: number;
  readonly at: number;
}

const WORDS = 'motion sensor';
/** Zigbee2MQTT's default occupancy timeout for Aqara sensors. */
export const OCCUPANCY_TIMEOUT_MS = 90_000;
/** Someone walks past every few minutes on average. */
const MEAN_MS_BETWEEN_MOTION = 180_000;

function stepOccupancy(state: MotionState, now: number, movedNow: boolean): Pick<MotionState, 'occupancy' | 'lastMotion'> {
  if (movedNow) return { occupancy: true, lastMotion: now };
  const expired = state.occupancy && now - state.lastMotion >= OCCUPANCY_TIMEOUT_MS;
  return { occupancy: state.occupancy && !expired, lastMotion: state.lastMotion };
}

export const motionSensor: DeviceModel<MotionState> = {
  words: WORDS,
  periodic: true,
  initialState: (random, now) => ({ occupancy: false, lastMotion: now, battery: between(random, 60, 100), at: now }),
  applyCommand: refuseCommands,
  tick: (state, { now, random }) => {
    const ms = elapsed(state.at, now);
    const moved = happened(random, ms, MEAN_MS_BETWEEN_MOTION);
    return { ...state, ...stepOccupancy(state, now, moved), battery: drainBattery(state.battery, ms), at: now };
  },
  toStatePayload: (state) => ({ occupancy: state.occupancy, battery: Math.round(state.battery) }),
  discoveryConfigs: (id, name) => {
    const device: DeviceRef = { id, name, words: WORDS };
    return [binarySensor(device, 'occupancy', { name: 'Occupancy', deviceClass: 'motion', on: true }), battery(device)];
  },
};

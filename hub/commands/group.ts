import type { GroupReport, Target } from '../protocol/automations.js';
import { findCapability, type Device } from '../protocol/device.js';
import type { CommandRecord } from '../protocol/messages.js';
import type { Commands } from './commands.js';

/**
 * Sends each target its own tracked command, at once, and reports once all have settled:
 * which devices confirmed and which did not (offline, no answer in time, unknown).
 */
export async function sendEach(commands: Commands, targets: readonly Target[]): Promise<GroupReport> {
  const outcomes = await Promise.all(
    targets.map(async ({ device, command }) => {
      const sent = commands.send(device, command);
      if (sent.ok) return { device, record: await sent.settled };
      if (sent.code === 'DEVICE_OFFLINE') return { device, record: sent.record };
      return { device, refused: sent.code === 'DEVICE_NOT_FOUND' ? ('not-found' as const) : ('invalid' as const) };
    }),
  );
  const report: GroupReport = { done: true, confirmed: [], failed: [], commands: [] };
  for (const o of outcomes) {
    const record: CommandRecord | undefined = 'record' in o ? o.record : undefined;
    if (record) report.commands.push(record);
    if (record?.status === 'confirmed') report.confirmed.push(o.device);
    else report.failed.push({ device: o.device, reason: record?.reason ?? ('refused' in o ? o.refused! : 'timeout') });
  }
  report.done = report.failed.length === 0;
  return report;
}

/** The lights of a room, or of the whole home when `room` is null. */
export function lightsOf(devices: readonly Device[], room: string | null): Device[] {
  return devices.filter((d) => d.kind === 'light' && (room === null || d.room === room));
}

/** On or off; a brightness only for lights that dim, and only when turning on. */
export function lightTargets(lights: readonly Device[], on: boolean, brightness?: number): Target[] {
  return lights.map((d) => ({
    device: d.id,
    command: on && brightness !== undefined && findCapability(d, 'brightness') ? { on, brightness } : { on },
  }));
}

/** A room's lights (or the home's, with `room` null) on or off: the room and home action. */
export function switchLights(commands: Commands, devices: readonly Device[], room: string | null, on: boolean, brightness?: number): Promise<GroupReport> {
  return sendEach(commands, lightTargets(lightsOf(devices, room), on, brightness));
}

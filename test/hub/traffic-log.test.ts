import { describe, expect, it } from 'vitest';
import { TrafficLog } from '../../hub/bridge/traffic-log.js';

describe('device traffic log', () => {
  it('keeps the last 20 messages of each device, oldest first, with their direction and topic', () => {
    const log = new TrafficLog();
    for (let i = 0; i < 25; i++) log.record('lamp', i % 5 === 0 ? 'out' : 'in', i % 5 === 0 ? 'lamp/set' : 'lamp/state', `{"n":${i}}`, 1000 + i);
    log.record('plug', 'in', 'plug/state', 'ON', 5000);
    const lamp = log.of('lamp');
    expect(lamp).toHaveLength(20);
    expect(lamp[0]).toStrictEqual({ at: 1005, direction: 'out', topic: 'lamp/set', payload: '{"n":5}' });
    expect(lamp[19]).toStrictEqual({ at: 1024, direction: 'in', topic: 'lamp/state', payload: '{"n":24}' });
    expect(lamp.map((e) => e.at)).toStrictEqual(Array.from({ length: 20 }, (_, i) => 1005 + i));
    expect(log.of('plug')).toStrictEqual([{ at: 5000, direction: 'in', topic: 'plug/state', payload: 'ON' }]);
  });

  it('cuts long payloads, tells listeners of each message and forgets a removed device', () => {
    const log = new TrafficLog();
    const heard: string[] = [];
    const unsubscribe = log.subscribe((deviceId, entry) => heard.push(`${deviceId} ${entry.direction} ${entry.payload.length}`));
    log.record('meter', 'in', 'meter/state', 'x'.repeat(2000), 1);
    unsubscribe();
    log.record('meter', 'in', 'meter/state', 'y', 2);
    expect(heard).toStrictEqual(['meter in 513']);
    expect(log.of('meter').map((e) => e.payload)).toStrictEqual([`${'x'.repeat(512)}…`, 'y']);
    log.forget('meter');
    expect(log.of('meter')).toStrictEqual([]);
  });
});

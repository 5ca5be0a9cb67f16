import { createRequire } from 'node:module';
import { writeToStream } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../../helpers/hub.js';
import { announceMeter, connectMqtt } from '../../helpers/mqtt.js';

afterEach(stopAllHubs);

/** mqtt-packet's table of a Buffer per 2-byte number, filled when a packet is first written with it on. */
const numberTable = createRequire(import.meta.url)('mqtt-packet/numbers.js').cache as Record<number, Buffer>;

describe("the process's MQTT packet writer", () => {
  it('writes packet ids without a table of all 65,536 numbers (about 6 MB of heap)', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    await announceMeter(device, 'm1');
    // QoS 1 both ways: the device writes packet ids in its PUBLISHes, the broker in its PUBACKs.
    for (let watts = 1; watts <= 20; watts++) await device.publishAsync('plain/m1/state', JSON.stringify({ power: watts }), { qos: 1 });
    expect(hub.app.registry.get('m1')?.state).toStrictEqual({ power: 20 });
    expect(writeToStream.cacheNumbers).toBe(false);
    expect(Object.keys(numberTable)).toHaveLength(0);
  });
});

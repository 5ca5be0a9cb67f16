import { afterEach, describe, expect, it } from 'vitest';
import { startHub, stopAllHubs } from '../../helpers/hub.js';
import { announceMeter, connectMqtt } from '../../helpers/mqtt.js';

afterEach(stopAllHubs);

/**
 * A QoS 1 PUBACK from the embedded broker means the reading is committed. MQTT 3.1.1
 * [MQTT-4.3.2-2] has the receiver answer PUBACK "after it has taken ownership"; aedes and
 * Mosquitto answer on arrival, before anything is on disk. The hub answers once the event the
 * reading made is in the journal, from which a restart after kill -9 recovers its history.
 */
describe('an acknowledged QoS 1 reading', () => {
  it('is committed to the journal before its PUBACK reaches the device', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    await announceMeter(device, 'm1');
    const committed = hub.app.store.db.prepare<[string], number>("SELECT count(*) FROM events WHERE body LIKE '%\"type\":\"state\"%' AND body LIKE ?").pluck();
    const onDiskWhenAcknowledged: number[] = [];
    for (let watts = 1; watts <= 20; watts++) {
      await device.publishAsync('plain/m1/state', JSON.stringify({ power: watts }), { qos: 1 });
      onDiskWhenAcknowledged.push(committed.get(`%"power":${watts}}%`)!);
    }
    expect(onDiskWhenAcknowledged).toStrictEqual(Array.from({ length: 20 }, () => 1));
  });

  it('is acknowledged at once while the disk refuses writes, and its device keeps working', async () => {
    const hub = await startHub();
    const device = await connectMqtt(hub.mqttUrl);
    await announceMeter(device, 'm1');
    const { db, batch } = hub.app.store;
    batch.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    // Enough readings to need a page: the commits fail, and the acknowledgements do not wait for them.
    for (let watts = 1; watts <= 300; watts++) await device.publishAsync('plain/m1/state', JSON.stringify({ power: watts, padding: 'x'.repeat(200) }), { qos: 1 });
    expect(batch.failing).toBe(true);
    expect(hub.app.registry.get('m1')?.state).toStrictEqual({ power: 300 });
    batch.pragma('max_page_count = 1073741823');
  });
});

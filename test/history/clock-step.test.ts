import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SteppedClock } from '../helpers/clock.js';
import { newDataDir, startHub, stopAllHubs, type TestHub } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';

/**
 * The wall clock stepping back, as it does on a Raspberry Pi (no real-time clock) when NTP
 * syncs. Upstream reference: Home Assistant's recorder orders states by its own ids, not
 * by their timestamps, and NTP (RFC 5905, section 10) steps a clock that is off by more
 * than 128 ms when it cannot slew it. Time is stepped through an injected clock.
 */
afterEach(stopAllHubs);

const HOUR = 3_600_000;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

type History = { from: number; to: number; series: { power: number[][] } };
const history = async (hub: TestHub, query = '') => (await (await hub.fetch(`${hub.httpUrl}/api/devices/m1/history${query}`)).json()) as History;
const health = async (hub: TestHub) => (await (await hub.fetch(`${hub.httpUrl}/api/health`)).json()) as { clock: { steps: { detectedAt: number; byMs: number }[] } };

async function meter(hub: TestHub) {
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  const device = await connectMqtt(hub.mqttUrl);
  const report = await announceMeter(device, 'm1');
  const reportAll = async (watts: number[]) => {
    for (const w of watts) await report(w);
    await live.next('state', (m) => m.id === 'm1' && m.state.power === watts.at(-1));
  };
  return { reportAll };
}

/**
 * What `kill -9` leaves: the database and its write-ahead log as they are on disk now, with
 * every committed event and none of what the hub still gathered in memory.
 */
function crashImage(hub: TestHub): string {
  const dataDir = newDataDir();
  for (const suffix of ['', '-wal']) {
    const file = join(hub.dataDir, `hearth.db${suffix}`);
    if (existsSync(file)) copyFileSync(file, join(dataDir, `hearth.db${suffix}`));
  }
  return dataDir;
}

describe('a backward clock step', () => {
  it('loses no reading to a crash after it, shows it in /api/health, and the default history shows both sides', async () => {
    const clock = new SteppedClock();
    const hub = await startHub({ clock });
    const { reportAll } = await meter(hub);
    await reportAll(range(1, 20));
    // Reading the history writes what was gathered: these rows are on disk, stamped before the step.
    expect((await history(hub, '?resolution=raw&from=0')).series.power).toHaveLength(20);

    clock.step(-HOUR);
    await reportAll(range(21, 40));
    expect((await health(hub)).clock.steps).toStrictEqual([{ detectedAt: expect.any(Number), byMs: expect.any(Number) }]);
    expect((await health(hub)).clock.steps[0]!.byMs).toBeLessThan(-HOUR + 60_000);

    // Readings 21 to 40 were seen by clients; their events are committed now (a commit for any
    // reason carries them), their history rows are still gathered in memory.
    await hub.app.store.batch.settled();
    const again = await startHub({ dataDir: crashImage(hub), clock });
    const raw = await history(again, '?resolution=raw&from=0');
    expect(raw.series.power.map(([, w]) => w)).toStrictEqual([...range(21, 40), ...range(1, 20)]);
    // The rows from before the step carry times "in the future"; the default range still has them.
    const byDefault = await history(again);
    expect(byDefault.series.power.map(([, w]) => w)).toStrictEqual([...range(21, 40), ...range(1, 20)]);
    // The restarted hub finds its clock behind what it stored.
    expect((await health(again)).clock.steps).toStrictEqual([{ detectedAt: expect.any(Number), byMs: expect.any(Number) }]);
    expect((await health(again)).clock.steps[0]!.byMs).toBeLessThan(-HOUR + 60_000);
  });

  it('summarises readings stamped in minutes already summarised', async () => {
    const clock = new SteppedClock();
    const hub = await startHub({ clock });
    const { reportAll } = await meter(hub);
    const summarised = () => ['history_minute', 'history_hour'].map((table) => hub.app.store.db.prepare(`SELECT sum(count) FROM ${table} WHERE device_id = 'm1'`).pluck().get());
    await reportAll(range(1, 10));
    await hub.app.history.flush();
    clock.step(2 * 60_000);
    await hub.app.history.rollUp();
    expect(summarised()).toStrictEqual([10, 10]);

    clock.step(-HOUR);
    await reportAll(range(11, 20));
    await hub.app.history.flush();
    clock.step(2 * 60_000);
    await hub.app.history.rollUp();
    expect(summarised()).toStrictEqual([20, 20]);
    // And when the clock has caught up with where it was before the step.
    clock.step(HOUR);
    await hub.app.history.rollUp();
    expect(summarised()).toStrictEqual([20, 20]);
  });
});

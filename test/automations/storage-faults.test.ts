/**
 * Automations while the database refuses writes (another process holds it locked, as a full
 * disk would): a "stays for" hold still runs, the run still happens and is traced once the
 * storage is back, and the hub never crashes on a write made from a timer.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Trace } from '../../hub/protocol/automations.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startHub, stopAllHubs } from '../helpers/hub.js';
import { LiveClient } from '../helpers/live-client.js';
import { LogTap } from '../helpers/log-tap.js';
import { announceMeter, connectMqtt } from '../helpers/mqtt.js';
import { createAutomation, iso, runs } from './helpers.js';

afterEach(stopAllHubs);

describe('automations when the database cannot be written', () => {
  it('keeps a hold and runs it; the trace says what could not be done', async () => {
    const clock = new FakeClock('2026-02-01T20:00:00Z');
    const logs = new LogTap();
    const hub = await startHub({ automationClock: clock, logs });
    const live = await LiveClient.connect(hub.wsUrl, hub.headers);
    await live.next('snapshot');
    const reading = await announceMeter(await connectMqtt(hub.mqttUrl), 'meter');
    await reading(100);
    await live.next('state', (m) => m.id === 'meter' && m.state.power === 100);
    const automation = await createAutomation(hub, {
      triggers: [{ kind: 'numeric', device: 'meter', property: 'power', above: 1000, forMs: 5 * 60_000 }],
      actions: [{ kind: 'notify', message: 'high load for 5 min' }],
    });

    const holder = new Database(join(hub.dataDir, 'hearth.db'));
    holder.exec('BEGIN EXCLUSIVE');
    try {
      await reading(1500);
      await logs.next('automations could not keep a hold');
      await clock.advance(5 * 60_000);
      await logs.next('automations could not clear a hold');
      expect((await hub.fetch(`${hub.httpUrl}/api/health`)).status).toBeLessThan(500);
    } finally {
      holder.exec('COMMIT');
      holder.close();
    }
    const [run] = (await runs(live, automation.id, 1)) as [Trace];
    expect([iso(run.startedAt), run.trigger.description, run.result]).toStrictEqual(['2026-02-01T20:05:00.000Z', 'meter power 1500, above 1000 for 5 min', 'failed']);
    expect(run.actions).toStrictEqual([{ index: 0, kind: 'notify', status: 'failed', detail: expect.stringMatching(/locked|busy/i), at: expect.any(Number) }]);
  });
});

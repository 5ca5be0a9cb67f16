import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../hub/store/database.js';
import { Generator, askAll, spread } from '../lib/generator.js';
import { health, startHub, withHub } from '../lib/hub.js';
import { summarise, type Latency } from '../lib/stats.js';
import { until } from '../lib/time.js';

export interface ColdStartResult {
  devices: number;
  historyRows: number;
  journalEvents: number;
  databaseMb: number;
  /** Process start to the hub answering `GET /api/health`, over several starts. */
  readyMs: Latency;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SENSORS_PER_PROCESS = 2500;
/** The journal's default size (`--journal-size`): a hub that has run a while holds this many events. */
const JOURNAL_EVENTS = 100_000;

/**
 * A year-old home. The devices are real: a hub is run once while `devices` sensors announce
 * themselves, so the rows are exactly what the hub writes. Then a year of history for
 * `sensorsWithHistory` of them and a full journal are inserted straight into its database
 * (minutes instead of a year). The hub is then started `starts` times from that database
 * (the operating system's file cache is warm: this is the hub's own start-up, not the disk's).
 */
export async function coldStart(devices: number, sensorsWithHistory: number, starts: number, epoch: number): Promise<ColdStartResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-cold-'));
  try {
    // A dashboard reconnecting after a restart shows its session: the password check at
    // sign-in (scrypt, about 70 ms) is not part of starting up.
    const headers = await announce(dataDir, devices, epoch);
    const { historyRows, journalEvents } = seedHistory(dataDir, sensorsWithHistory);
    const databaseMb = Math.round(statSync(join(dataDir, 'hearth.db')).size / 1_048_576);
    const samples: number[] = [];
    for (let i = 0; i < starts; i++) {
      const started = performance.now();
      const hub = await startHub({ dataDir, headers });
      try {
        const answer = await health(hub);
        samples.push(performance.now() - started);
        if (answer.devices.total !== devices) throw new Error(`hub loaded ${answer.devices.total} devices, expected ${devices}`);
      } finally {
        await hub.stop();
      }
    }
    return { devices, historyRows, journalEvents, databaseMb, readyMs: summarise(samples) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Returns the owner's session, which stays valid across the hub's restarts. */
async function announce(dataDir: string, devices: number, epoch: number): Promise<Record<string, string>> {
  return withHub(
    async (hub) => {
      const shares = spread(devices, SENSORS_PER_PROCESS);
      const sensors = shares.map(() => new Generator('sensors'));
      try {
        await askAll(sensors, (i) => ({ cmd: 'start', url: hub.mqttUrl, count: shares[i], prefix: `home${i}`, epoch }));
        await until(async () => (await health(hub)).devices.total === devices, 120_000, `${devices} devices announced`, 200);
      } finally {
        await Promise.all(sensors.map((g) => g.stop()));
      }
      return hub.headers;
    },
    { dataDir },
  );
}

/** A year of hour summaries, a month of minute summaries and a week of raw readings every five minutes. */
function seedHistory(dataDir: string, sensorsWithHistory: number): { historyRows: number; journalEvents: number } {
  const { db } = openDatabase(dataDir);
  const now = Date.now();
  const ids = db.prepare<[number], { id: string }>('SELECT id FROM devices ORDER BY id LIMIT ?').all(sensorsWithHistory);
  const hour = db.prepare('INSERT OR REPLACE INTO history_hour VALUES (?, ?, ?, ?, ?, ?, ?)');
  const minute = db.prepare('INSERT OR REPLACE INTO history_minute VALUES (?, ?, ?, ?, ?, ?, ?)');
  const raw = db.prepare('INSERT INTO history (device_id, property, at, value) VALUES (?, ?, ?, ?)');
  let historyRows = 0;
  for (const { id } of ids) {
    db.transaction(() => {
      for (let t = now - 365 * DAY; t < now; t += HOUR, historyRows++) hour.run(id, 't', t, 20, 18, 22, 60);
      for (let t = now - 30 * DAY; t < now; t += MINUTE, historyRows++) minute.run(id, 't', t, 20, 19, 21, 1);
      for (let t = now - 7 * DAY; t < now; t += 5 * MINUTE, historyRows++) raw.run(id, 't', t, 20 + Math.sin(t / HOUR));
    })();
  }
  const last = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events').get()?.seq ?? 0;
  const event = db.prepare('INSERT INTO events (seq, at, body) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= JOURNAL_EVENTS; i++) {
      const seq = last + i;
      const id = ids[i % Math.max(ids.length, 1)]?.id ?? 'none';
      event.run(seq, now - (JOURNAL_EVENTS - i) * 1000, JSON.stringify({ type: 'state', id, state: { t: i }, changed: { t: i }, lastSeen: now, seq }));
    }
    // As a hub that stopped cleanly leaves it: every gathered state and reading written.
    db.prepare('UPDATE replay_progress SET after = ?').run(last + JOURNAL_EVENTS);
  })();
  db.close();
  return { historyRows, journalEvents: JOURNAL_EVENTS };
}

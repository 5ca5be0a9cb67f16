import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../hub/store/database.js';
import { health, startHub } from '../lib/hub.js';

export interface ColdStartResult {
  devices: number;
  historyRows: number;
  databaseMb: number;
  /** Process start to the hub answering `GET /api/health`. */
  readyMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A year-old home: many devices (each with its stored discovery message, replayed at start)
 * and a year of history, written straight into a database with the hub's own schema.
 */
export async function coldStart(devices: number, sensorsWithHistory: number): Promise<ColdStartResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-cold-'));
  try {
    const historyRows = seed(dataDir, devices, sensorsWithHistory);
    const databaseMb = Math.round(statSync(join(dataDir, 'hearth.db')).size / 1_048_576);
    const started = performance.now();
    const hub = await startHub({ dataDir });
    const answer = await health(hub);
    const readyMs = Math.round(performance.now() - started);
    if (answer.devices.total !== devices) throw new Error(`hub loaded ${answer.devices.total} devices, expected ${devices}`);
    await hub.stop();
    return { devices, historyRows, databaseMb, readyMs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function seed(dataDir: string, devices: number, sensorsWithHistory: number): number {
  const db = openDatabase(dataDir);
  const now = Date.now();
  const device = db.prepare(
    `INSERT INTO devices (id, name, kind, manufacturer, model, capabilities, source, state, last_seen, created_at, updated_at)
     VALUES (?, ?, 'sensor', NULL, NULL, ?, ?, ?, ?, ?, ?)`,
  );
  const discovery = db.prepare('INSERT INTO discovery (topic, device_id, payload, updated_at) VALUES (?, ?, ?, ?)');
  const capabilities = JSON.stringify([{ type: 'sensor', property: 'temperature', writable: false, label: 'Temperature', unit: '°C', deviceClass: 'temperature' }]);
  db.transaction(() => {
    for (let i = 0; i < devices; i++) {
      const id = `seed-${i}`;
      const topic = `homeassistant/sensor/${id}/temperature/config`;
      const config = { name: 'Temperature', stat_t: `seed/${id}`, val_tpl: '{{ value_json.temperature }}', unit_of_meas: '°C', dev_cla: 'temperature', dev: { ids: [id], name: `Seeded ${i}` } };
      const source = JSON.stringify({ protocol: 'homeassistant', topics: { discovery: [topic], state: [`seed/${id}`], command: [], availability: [] }, problems: [] });
      device.run(id, `Seeded ${i}`, capabilities, source, '{"temperature":21.5}', now, now, now);
      discovery.run(topic, id, JSON.stringify(config), now);
    }
  })();
  // A year of hour summaries, a month of minute summaries and a week of raw readings every five minutes.
  const hour = db.prepare('INSERT INTO history_hour VALUES (?, ?, ?, ?, ?, ?, ?)');
  const minute = db.prepare('INSERT INTO history_minute VALUES (?, ?, ?, ?, ?, ?, ?)');
  const raw = db.prepare('INSERT INTO history (device_id, property, at, value) VALUES (?, ?, ?, ?)');
  let rows = 0;
  for (let s = 0; s < sensorsWithHistory; s++) {
    const id = `seed-${s}`;
    db.transaction(() => {
      for (let t = now - 365 * DAY; t < now; t += HOUR, rows++) hour.run(id, 'temperature', t, 20, 18, 22, 60);
      for (let t = now - 30 * DAY; t < now; t += MINUTE, rows++) minute.run(id, 'temperature', t, 20, 19, 21, 1);
      for (let t = now - 7 * DAY; t < now; t += 5 * MINUTE, rows++) raw.run(id, 'temperature', t, 20 + Math.sin(t / HOUR));
    })();
  }
  db.close();
  return rows;
}

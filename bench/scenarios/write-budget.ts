import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '../lib/generator.js';
import { health, withHub, type BenchHub } from '../lib/hub.js';
import { sleep, until } from '../lib/time.js';

export interface WriteWindow {
  seconds: number;
  /** The hub process's own write_bytes (/proc/<pid>/io), WAL and checkpoints included, per hour. */
  mibWrittenPerHour: number;
  /** Transactions of the hub's writer thread per hour. */
  commitsPerHour: number;
  /** History rows stored meanwhile. */
  readings: number;
  bytesWrittenPerReading: number;
  /** Pages the history table and its indexes hold, per row: what a stored reading costs on disk. */
  bytesOnDiskPerStoredReading: number;
  /** Pages the journal's events table holds, per event: a reading's event is stored too (for resuming clients). */
  bytesOnDiskPerEvent: number;
  /** Bytes written over the bytes stored for the readings: their history rows and their journal events. */
  writtenOverStored: number;
  /** Bytes written over the bytes of the history rows alone. */
  writtenOverHistory: number;
}

export interface WriteBudgetResult {
  idle: WriteWindow;
  readings: WriteWindow & { perSecond: number };
}

const HISTORY_OBJECTS = "('history', 'history_series', 'history_10s')";

/** What the database holds that the bench reads while the hub runs: a reader beside its writer (WAL). */
function databaseCounts(dataDir: string) {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true });
  try {
    const one = <T,>(sql: string) => db.prepare(sql).get() as T;
    return {
      commits: one<{ n: number }>('SELECT commit_no AS n FROM writer_progress').n,
      historyRows: one<{ n: number }>('SELECT count(*) AS n FROM history').n,
      historyBytes: one<{ n: number | null }>(`SELECT sum(pgsize) AS n FROM dbstat WHERE name IN ${HISTORY_OBJECTS}`).n ?? 0,
      events: one<{ n: number }>('SELECT count(*) AS n FROM events').n,
      eventBytes: one<{ n: number | null }>("SELECT sum(pgsize) AS n FROM dbstat WHERE name = 'events'").n ?? 0,
    };
  } finally {
    db.close();
  }
}

const writeBytes = (pid: number) => Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

/**
 * Measures what the hub writes while `load` runs, and after it until every reading it sent
 * is stored and copied back from the WAL: the hub gathers readings for up to a minute before
 * writing them, and the checkpointer copies the WAL back every 30 s under steady load, so a
 * window that ended with the load would miss writes it caused.
 */
async function window(hub: BenchHub, load: () => Promise<number>): Promise<WriteWindow> {
  const started = performance.now();
  const before = { bytes: writeBytes(hub.pid), ...databaseCounts(hub.dataDir) };
  const sent = await load();
  // A reading lost on the way (QoS 0) would never be stored: past the bound, measure what is.
  await until(() => databaseCounts(hub.dataDir).historyRows - before.historyRows >= sent, DRAIN_TIMEOUT_MS, 'every reading stored', 500).catch(() => {});
  if (sent > 0) await sleep(CHECKPOINT_SECONDS * 1000);
  const after = { bytes: writeBytes(hub.pid), ...databaseCounts(hub.dataDir) };
  const seconds = (performance.now() - started) / 1000;
  const written = after.bytes - before.bytes;
  const readings = after.historyRows - before.historyRows;
  const perHour = (n: number) => (n * 3600) / seconds;
  const perRow = (bytes: number, rows: number) => (rows > 0 ? bytes / rows : 0);
  const historyPerRow = perRow(after.historyBytes, after.historyRows);
  const eventPerRow = perRow(after.eventBytes, after.events);
  const ratio = (bytes: number) => (readings > 0 && bytes > 0 ? Math.round((written / (readings * bytes)) * 10) / 10 : 0);
  return {
    seconds: Math.round(seconds),
    mibWrittenPerHour: Math.round((perHour(written) / 1_048_576) * 10) / 10,
    commitsPerHour: Math.round(perHour(after.commits - before.commits)),
    readings,
    bytesWrittenPerReading: readings > 0 ? Math.round(written / readings) : 0,
    bytesOnDiskPerStoredReading: Math.round(historyPerRow),
    bytesOnDiskPerEvent: Math.round(eventPerRow),
    writtenOverStored: ratio(historyPerRow + eventPerRow),
    writtenOverHistory: ratio(historyPerRow),
  };
}

/** Long enough for each new sensor's first reading. */
const SETTLE_SECONDS = 10;

/** Longer than the checkpointer's steady cadence (30 s, store/write-batch.ts): a wait this long sees the WAL copied back. */
const CHECKPOINT_SECONDS = 35;

/** Readings gathered while the hub is quiet wait a minute for their commit; this bounds the wait for them. */
const DRAIN_TIMEOUT_MS = 180_000;

/**
 * What a hub costs an SD card: bytes and commits per hour with the demo home idle (no
 * dashboard open), then with `perSecond` readings a second from sensors of their own.
 * Measured from the hub process's own write_bytes, as the issue measured it.
 */
export function writeBudget({ warmupSeconds, idleSeconds, perSecond, loadSeconds, epoch }: { warmupSeconds: number; idleSeconds: number; perSecond: number; loadSeconds: number; epoch: number }): Promise<WriteBudgetResult> {
  return withHub(
    async (hub) => {
      await until(async () => (await health(hub)).devices.online > 0, 30_000, 'the demo home online', 200);
      await sleep(warmupSeconds * 1000);
      const idle = await window(hub, () => sleep(idleSeconds * 1000).then(() => 0));
      const sensors = new Generator('sensors');
      try {
        const home = (await health(hub)).devices.total;
        await sensors.ask({ cmd: 'start', url: hub.mqttUrl, count: perSecond, prefix: 'budget', epoch });
        // Their announcements and first readings settle first, as in a home whose devices are
        // not all new today: a new device's rows cost more than its readings do afterwards.
        await until(async () => (await health(hub)).devices.total >= home + perSecond, 60_000, 'the sensors announced', 200);
        await sensors.ask({ cmd: 'paced', seconds: SETTLE_SECONDS, perSecond: 1 / SETTLE_SECONDS });
        // What they wrote is copied back from the WAL before the window opens, not inside it.
        await sleep(CHECKPOINT_SECONDS * 1000);
        const readings = await window(hub, async () => ((await sensors.ask({ cmd: 'paced', seconds: loadSeconds, perSecond: 1 })) as { sent: number }).sent);
        return { idle, readings: { ...readings, perSecond } };
      } finally {
        await sensors.stop();
      }
    },
    { args: ['--simulate=1'] },
  );
}

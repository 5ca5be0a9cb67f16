import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** The wall-clock span of a window, and what the hub did in it as it ran. */
interface Measured {
  from: number;
  to: number;
  seconds: number;
  written: number;
  commits: number;
}

/**
 * What the database holds, read once the hub has stopped: while it runs it holds the file
 * alone (store/sqlite.ts). Readings are the history rows stamped inside each window.
 */
function databaseCounts(dataDir: string, windows: Measured[]) {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true });
  try {
    const one = <T,>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
    return {
      readings: windows.map(({ from, to }) => one<{ n: number }>('SELECT count(*) AS n FROM history WHERE at >= ? AND at < ?', from, to).n),
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

/** The hub's own counts: commits since it started, and the MQTT messages its bridge has taken in. */
async function progress(hub: BenchHub): Promise<{ commits: number; messages: number }> {
  const { storage, bridge } = await health(hub);
  return { commits: storage.commits, messages: bridge.messages };
}

/**
 * Measures what the hub writes while `load` runs, and after it until every reading it sent
 * is stored and copied back from the WAL: the hub gathers readings for up to a minute before
 * writing them, and the checkpointer copies the WAL back every 30 s under steady load, so a
 * window that ended with the load would miss writes it caused.
 */
async function window(hub: BenchHub, load: () => Promise<number>): Promise<Measured> {
  const started = performance.now();
  const from = Date.now();
  const before = { bytes: writeBytes(hub.pid), ...(await progress(hub)) };
  const sent = await load();
  // A reading lost on the way (QoS 0) never arrives: past the bound, measure what did.
  await until(async () => (await progress(hub)).messages - before.messages >= sent, DRAIN_TIMEOUT_MS, 'every reading received', 500).catch(() => {});
  if (sent > 0) await sleep((GATHER_SECONDS + CHECKPOINT_SECONDS) * 1000);
  const after = { bytes: writeBytes(hub.pid), ...(await progress(hub)) };
  return { from, to: Date.now(), seconds: (performance.now() - started) / 1000, written: after.bytes - before.bytes, commits: after.commits - before.commits };
}

/** A window's figures, given what the database held at the end. */
function summary(measured: Measured, readings: number, counts: ReturnType<typeof databaseCounts>): WriteWindow {
  const { seconds, written } = measured;
  const perHour = (n: number) => (n * 3600) / seconds;
  const perRow = (bytes: number, rows: number) => (rows > 0 ? bytes / rows : 0);
  const historyPerRow = perRow(counts.historyBytes, counts.historyRows);
  const eventPerRow = perRow(counts.eventBytes, counts.events);
  const ratio = (bytes: number) => (readings > 0 && bytes > 0 ? Math.round((written / (readings * bytes)) * 10) / 10 : 0);
  return {
    seconds: Math.round(seconds),
    mibWrittenPerHour: Math.round((perHour(written) / 1_048_576) * 10) / 10,
    commitsPerHour: Math.round(perHour(measured.commits)),
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

/** The longest a reading is gathered before its commit (a quiet hub's minute, history/history.ts). */
const GATHER_SECONDS = 60;

/** Longer than the checkpointer's steady cadence (30 s, store/write-batch.ts): a wait this long sees the WAL copied back. */
const CHECKPOINT_SECONDS = 35;

/** Bounds the wait for the readings sent to reach the hub. */
const DRAIN_TIMEOUT_MS = 180_000;

/**
 * What a hub costs an SD card: bytes and commits per hour with the demo home idle (no
 * dashboard open), then with `perSecond` readings a second from sensors of their own.
 * Measured from the hub process's own write_bytes, as the issue measured it.
 */
export async function writeBudget({ warmupSeconds, idleSeconds, perSecond, loadSeconds, epoch }: { warmupSeconds: number; idleSeconds: number; perSecond: number; loadSeconds: number; epoch: number }): Promise<WriteBudgetResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bench-'));
  try {
    const windows = await withHub(
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
          // What they wrote is stored and copied back from the WAL before the window opens, not inside it.
          await sleep((GATHER_SECONDS + CHECKPOINT_SECONDS) * 1000);
          const readings = await window(hub, async () => ((await sensors.ask({ cmd: 'paced', seconds: loadSeconds, perSecond: 1 })) as { sent: number }).sent);
          return [idle, readings] as const;
        } finally {
          await sensors.stop();
        }
      },
      { dataDir, args: ['--simulate=1'] },
    );
    const counts = databaseCounts(dataDir, [...windows]);
    return { idle: summary(windows[0], counts.readings[0]!, counts), readings: { ...summary(windows[1], counts.readings[1]!, counts), perSecond } };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

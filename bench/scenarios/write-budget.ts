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
  /** Bytes written over the bytes the history grew by. */
  writtenOverStored: number;
}

export interface WriteBudgetResult {
  idle: WriteWindow;
  readings: WriteWindow & { perSecond: number };
}

const HISTORY_OBJECTS = "('history', 'history_series', 'history_at')";

/** What the database holds that the bench reads while the hub runs: a reader beside its writer (WAL). */
function databaseCounts(dataDir: string) {
  const db = new Database(join(dataDir, 'hearth.db'), { readonly: true });
  try {
    const one = <T,>(sql: string) => db.prepare(sql).get() as T;
    return {
      commits: one<{ n: number }>('SELECT commit_no AS n FROM writer_progress').n,
      historyRows: one<{ n: number }>('SELECT count(*) AS n FROM history').n,
      historyBytes: one<{ n: number | null }>(`SELECT sum(pgsize) AS n FROM dbstat WHERE name IN ${HISTORY_OBJECTS}`).n ?? 0,
    };
  } finally {
    db.close();
  }
}

const writeBytes = (pid: number) => Number(/^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);

/** Measures what the hub writes while `load` runs for `seconds`. */
async function window(hub: BenchHub, seconds: number, load: () => Promise<unknown>): Promise<WriteWindow> {
  const before = { bytes: writeBytes(hub.pid), ...databaseCounts(hub.dataDir) };
  await load();
  const after = { bytes: writeBytes(hub.pid), ...databaseCounts(hub.dataDir) };
  const written = after.bytes - before.bytes;
  const readings = after.historyRows - before.historyRows;
  const perHour = (n: number) => (n * 3600) / seconds;
  return {
    seconds,
    mibWrittenPerHour: Math.round((perHour(written) / 1_048_576) * 10) / 10,
    commitsPerHour: Math.round(perHour(after.commits - before.commits)),
    readings,
    bytesWrittenPerReading: readings > 0 ? Math.round(written / readings) : 0,
    bytesOnDiskPerStoredReading: after.historyRows > 0 ? Math.round(after.historyBytes / after.historyRows) : 0,
    writtenOverStored: after.historyBytes > before.historyBytes ? Math.round((written / (after.historyBytes - before.historyBytes)) * 10) / 10 : 0,
  };
}

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
      const idle = await window(hub, idleSeconds, () => sleep(idleSeconds * 1000));
      const sensors = new Generator('sensors');
      try {
        await sensors.ask({ cmd: 'start', url: hub.mqttUrl, count: perSecond, prefix: 'budget', epoch });
        const readings = await window(hub, loadSeconds, () => sensors.ask({ cmd: 'paced', seconds: loadSeconds, perSecond: 1 }));
        return { idle, readings: { ...readings, perSecond } };
      } finally {
        await sensors.stop();
      }
    },
    { args: ['--simulate=1'] },
  );
}

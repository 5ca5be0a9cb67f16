import { once } from 'node:events';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startSourceThread } from './source-thread.js';
import { makePrivateDir, makePrivateFile } from './private-files.js';

export interface BackupInfo {
  /** The file's name in the backup dir, e.g. `hearth-2026-12-07T03-00-00-000Z.db`. */
  name: string;
  bytes: number;
  /** When the copy was taken (ms since the epoch). */
  takenAt: number;
}

const BACKUP_NAME = /^hearth-(\d{4}-\d\d-\d\d)T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z\.db$/;

interface CopyAnswer {
  ok: boolean;
  /** integrity_check's first line, or the error that stopped the copy. */
  check: string;
}

/**
 * The copy, in a thread of its own with a connection of its own, so that neither the event
 * loop nor the writer waits for it. One step of SQLite's backup API copies every page inside
 * one read transaction: a snapshot of one moment, which the commits going on meanwhile
 * (WAL) neither block nor restart, as they would restart a copy made in small steps.
 * The copy is then made a standalone file (no WAL beside it) and checked.
 */
function copyThread(require: NodeRequire): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const answer = (ok: boolean, check: string) => parentPort!.postMessage({ ok, check });
  let source: import('better-sqlite3').Database;
  try {
    source = new Database(workerData.source, { fileMustExist: true });
  } catch (error) {
    answer(false, (error as Error).message);
    return;
  }
  source.backup(workerData.destination, { progress: () => 0x7fffffff }).then(
    () => {
      source.close();
      try {
        const copy = new Database(workerData.destination);
        copy.pragma('journal_mode = DELETE');
        const check = copy.pragma('integrity_check', { simple: true }) as string;
        copy.close();
        answer(check === 'ok', check);
      } catch (error) {
        answer(false, (error as Error).message);
      }
    },
    (error: Error) => {
      source.close();
      answer(false, error.message);
    },
  );
}

/**
 * Online copies of the hub's database in a dir of their own (`<data-dir>/backups`, a USB
 * stick, a NAS mount), the newest `keep` of them kept. A copy is only given its name once
 * it is whole and checked, so a dir never holds a half-written backup under a backup's name.
 */
export class Backups {
  private running: Promise<BackupInfo> | null = null;

  constructor(
    private readonly databaseFile: string,
    readonly dir: string,
    private readonly keep: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes a copy now (or joins the one under way) and prunes the oldest beyond `keep`. */
  take(): Promise<BackupInfo> {
    this.running ??= this.copy().finally(() => (this.running = null));
    return this.running;
  }

  /** Waits for a copy under way, at shutdown. */
  async settled(): Promise<void> {
    await this.running?.catch(() => {});
  }

  /** The backups in the dir, newest first. */
  list(): BackupInfo[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => BACKUP_NAME.test(name))
      .map((name) => ({ name, bytes: statSync(join(this.dir, name)).size, takenAt: takenAt(name) }))
      .sort((a, b) => b.takenAt - a.takenAt);
  }

  /** The path of a backup by its name, or null when there is none of that name (never a path outside the dir). */
  pathOf(name: string): string | null {
    return this.list().some((backup) => backup.name === name) ? join(this.dir, name) : null;
  }

  private async copy(): Promise<BackupInfo> {
    makePrivateDir(this.dir);
    const taken = this.now();
    const name = `hearth-${taken.toISOString().replace(/[:.]/g, '-')}.db`;
    const partial = join(this.dir, `.${name}.partial`);
    rmSync(partial, { force: true });
    // Made 0600 first: the copy holds password hashes, and SQLite would make it by the umask.
    makePrivateFile(partial);
    const worker = startSourceThread(copyThread, { source: this.databaseFile, destination: partial });
    const [result] = (await once(worker, 'message')) as [CopyAnswer];
    await worker.terminate();
    if (!result.ok) {
      rmSync(partial, { force: true });
      rmSync(`${partial}-journal`, { force: true });
      throw new Error(`backup failed: ${result.check}`);
    }
    renameSync(partial, join(this.dir, name));
    this.prune();
    return { name, bytes: statSync(join(this.dir, name)).size, takenAt: taken.getTime() };
  }

  private prune(): void {
    for (const old of this.list().slice(this.keep)) rmSync(join(this.dir, old.name), { force: true });
  }
}

function takenAt(name: string): number {
  const [, day, h, m, s, ms] = BACKUP_NAME.exec(name)!;
  return Date.parse(`${day}T${h}:${m}:${s}.${ms}Z`);
}

/** When the next nightly backup is due: the next `hour`:00 local time after `now`. */
export function nextBackupAt(now: Date, hour: number): Date {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next <= now) next.setDate(next.getDate() + 1);
  return next;
}

import { Database } from '../store/sqlite.js';
import { chownSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type HubConfig } from '../config.js';
import { askRunningHub, hubSocketPath, type CommandOutput, type SocketRequest } from './hub-socket.js';

/**
 * The hub's settings for a command run beside it: its flags and HUB_* variables, as the hub
 * reads them (so `--data-dir`, `--backup-dir` mean the same), with the command's own words
 * (`positionals`) split off first. Exits with the hub's message on a bad setting.
 */
export function commandConfig(argv: readonly string[], usage: string): { config: HubConfig; positionals: string[] } {
  const positionals = argv.filter((arg, i) => !arg.startsWith('--') && (i === 0 || !argv[i - 1]!.startsWith('--') || argv[i - 1]!.includes('=')));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const result = loadConfig(argv.filter((arg) => !positionals.includes(arg)), process.env);
  if (!result.ok) {
    console.error(`${result.errors.join('\n')}\n${usage}`);
    process.exit(2);
  }
  return { config: result.config, positionals };
}

/**
 * Whether a process (a running hub, `npm run credentials`) has the database open. In WAL
 * mode every open connection holds a shared lock on the file, so an exclusive lock is only
 * granted when none is left; the lock goes with a process that dies, even by kill -9.
 */
export function databaseInUse(file: string): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    // The last connection to close folds the WAL into the file and removes it.
    db?.close();
  }
}

/**
 * For a command run beside the hub: the running hub's answer to `request`; a refusal when a
 * hub holds the database but does not answer on its socket (its log says why); or null when
 * no hub runs, and the command works on the file itself.
 */
export async function askHubFirst(dataDir: string, request: SocketRequest): Promise<CommandOutput | null> {
  const answered = await askRunningHub(dataDir, request);
  if (answered) return answered;
  const file = join(dataDir, 'hearth.db');
  if (!existsSync(file) || !databaseInUse(file)) return null;
  const why = `a running hub holds the database in ${dataDir} but does not answer on ${hubSocketPath(dataDir)} (its log says why); stop it (sudo systemctl stop hearth) and run this again`;
  return { code: 1, stdout: '', stderr: `hearth ${request.command}: ${why}\n` };
}

/** Run as root on a service's dir: what the command made is given to the dir's owner, so the hub can read it. */
export function giveToOwnerOf(dir: string, path: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dir);
  chownSync(path, uid, gid);
}

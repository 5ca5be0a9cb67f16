/**
 * Puts a backup in place of the hub's database, with the hub stopped:
 *   npm run restore -- <backup file> [--data-dir DIR]
 * The file is checked on a copy first; the database it replaces is kept aside, never deleted.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkBackupFile } from '../store/backup-file.js';
import { SQLITE_SIDE_FILES } from '../store/database.js';
import { makePrivateDir, makePrivateFile } from '../store/private-files.js';
import { commandConfig, databaseInUse, giveToOwnerOf } from './data-dir.js';

const USAGE = `usage: npm run restore -- <backup file> [--data-dir DIR]
  Stop the hub first (sudo systemctl stop hearth). The backup is checked before anything is
  replaced, and the current database is moved aside to hearth.db.before-restore-<time>.`;

function restore(source: string, dataDir: string): string {
  if (!existsSync(source)) throw new Refusal(`${source}: no such file`);
  const file = join(dataDir, 'hearth.db');
  if (existsSync(file) && databaseInUse(file)) throw new Refusal(`a hub (or another program) is using ${file}; stop it first (sudo systemctl stop hearth)`);
  makePrivateDir(dataDir);
  // Checked as a copy beside the database: the original is never opened for writing, and
  // the last step is a rename within one file system.
  const incoming = `${file}.restoring`;
  makePrivateFile(incoming);
  try {
    copyFileSync(source, incoming);
    const verdict = checkBackupFile(incoming);
    if (!verdict.ok) throw new Refusal(`${source} was not restored: ${verdict.reason}. Nothing was changed.`);
    giveToOwnerOf(dataDir, incoming);
    const aside = `${file}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', ...SQLITE_SIDE_FILES]) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    renameSync(incoming, file);
    return `restored ${source} (schema version ${verdict.schemaVersion}; the hub brings it up to date when it starts).${existsSync(aside) ? `\nThe database it replaced is at ${aside}.` : ''}`;
  } finally {
    rmSync(incoming, { force: true });
  }
}

class Refusal extends Error {}

const { config, positionals } = commandConfig(process.argv.slice(2), USAGE);
if (positionals.length !== 1) {
  console.error(USAGE);
  process.exit(2);
}
try {
  console.log(restore(resolve(positionals[0]!), config.dataDir));
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(`hearth restore: ${error.message}`);
  process.exit(1);
}

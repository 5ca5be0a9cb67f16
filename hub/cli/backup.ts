/**
 * Takes a backup now, while the hub runs (the hub takes it, asked over its socket) or not:
 *   npm run backup [-- --data-dir DIR --backup-dir DIR --backup-keep N]
 * Run it as the hub's user (sudo -u hearth …) so the copy is the hub's to list and serve.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Backups } from '../store/backups.js';
import { askHubFirst, commandConfig, giveToOwnerOf } from './data-dir.js';
import { backupTaken, printOutput } from './hub-socket.js';

const USAGE = `usage: npm run backup -- [--data-dir DIR] [--backup-dir DIR] [--backup-keep N]
  Copies the hub's database into the backup dir (default <data-dir>/backups), keeping the newest N (7).
  A running hub takes the copy itself, into its own backup dir.`;

const { config } = commandConfig(process.argv.slice(2), USAGE);
const file = join(config.dataDir, 'hearth.db');
if (!existsSync(file)) {
  console.error(`hearth backup: no database at ${file} (give the hub's --data-dir)`);
  process.exit(1);
}
try {
  const answered = await askHubFirst(config.dataDir, { command: 'backup' });
  if (answered) {
    process.exitCode = printOutput(answered);
  } else {
    const backup = await new Backups(file, config.backupDir, config.backupKeep).take();
    giveToOwnerOf(config.backupDir, join(config.backupDir, backup.name));
    process.stdout.write(backupTaken(config.backupDir, backup));
  }
} catch (error) {
  console.error(`hearth backup: ${(error as Error).message}`);
  process.exit(1);
}

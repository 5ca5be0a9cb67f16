import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newDataDir, startHub, stopAllHubs } from '../helpers/hub.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every file in the dir and its subdirs, with its mode. */
function modes(dir: string): Record<string, number> {
  const found: Record<string, number> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    found[join(entry.parentPath, entry.name).slice(dir.length + 1)] = modeOf(join(entry.parentPath, entry.name));
  }
  return found;
}

let umask: number | null = null;
afterEach(async () => {
  if (umask !== null) process.umask(umask);
  umask = null;
  await stopAllHubs();
});

// The data dir holds password hashes and token digests. Like sshd's host keys or Mosquitto's
// dynamic-security file, it is for the service's own user only, whatever umask started it.
describe('the data dir', () => {
  it('is made 0700 with its files 0600 under a umask of 000', async () => {
    umask = process.umask(0);
    const dataDir = join(newDataDir(), 'fresh');
    await startHub({ dataDir });

    expect(modeOf(dataDir)).toBe(0o700);
    const files = modes(dataDir);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['hearth.db', 'hearth.db-wal', 'hub.sock']));
    for (const [name, mode] of Object.entries(files)) expect([name, mode.toString(8)]).toStrictEqual([name, '600']);
  });

  it('left readable by an older hub (0755, files 0644) is tightened at the next start', async () => {
    const dataDir = newDataDir();
    chmodSync(dataDir, 0o755);
    for (const name of ['hearth.db', 'hearth.db-wal', 'hearth.db-shm']) writeFileSync(join(dataDir, name), '', { mode: 0o644 });
    await startHub({ dataDir });

    expect(modeOf(dataDir)).toBe(0o700);
    for (const name of ['hearth.db', 'hearth.db-wal', 'hearth.db-shm']) expect([name, modeOf(join(dataDir, name)).toString(8)]).toStrictEqual([name, '600']);
  });
});

import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data dir holds password hashes, token digests and the home's history: it is the hub's
 * user's alone (0700, files 0600), whatever the umask it was started with. A dir made by an
 * older hub (0755, files 0644) is tightened at the next start.
 */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700);
}

/**
 * Creates `file` 0600 if it is missing, and tightens it and its `suffixes` (SQLite's -wal and
 * -shm) if they exist. SQLite gives the -wal and -shm files it creates the database file's mode.
 */
export function makePrivateFile(file: string, suffixes: readonly string[] = []): void {
  closeSync(openSync(file, 'a', 0o600));
  for (const suffix of ['', ...suffixes]) if (existsSync(file + suffix)) tighten(file + suffix, 0o600);
}

/** A path owned by another user (a data dir root made for the hub) cannot be changed by it; that is left to its owner. */
function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EPERM') throw error;
  }
}

import './sqlite-uris.js';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';

export { Database };

let urisWork: boolean | null = null;

/** Whether SQLite takes URIs in this process: a URI for a memory database opens, and nothing is made on disk either way. */
function sqliteTakesUris(): boolean {
  if (urisWork === null) {
    try {
      new Database('file:hearth-uri-probe?mode=memory', { fileMustExist: true }).close();
      urisWork = true;
    } catch {
      urisWork = false;
    }
  }
  return urisWork;
}

/**
 * The name every connection of the hub opens its database by. SQLite's `unix-excl` VFS holds
 * the file for this process alone and keeps the WAL index in the process's memory instead of
 * the memory-mapped `-shm` file: the kernel writes that file's dirtied pages back to the disk
 * after every commit (a few 4 KiB pages each), which was a third of what a home at rest wrote
 * to its SD card (3.9 against 2.7 MiB an hour, demo home, /proc/<pid>/io). The hub's threads
 * share the index; another process cannot open the file while the hub runs (the CLIs ask the
 * hub instead: cli/hub-socket.ts). Without URIs, or on Windows (no unix-excl), the plain path.
 */
export function hubConnectionName(file: string): string {
  return process.platform !== 'win32' && sqliteTakesUris() ? `${pathToFileURL(file).href}?vfs=unix-excl` : file;
}

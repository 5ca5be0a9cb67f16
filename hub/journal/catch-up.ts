import type { Room } from '../protocol/device.js';
import type { DeviceRegistry } from '../registry/registry.js';
import type { Journal, JournalEntry } from './journal.js';

export type CatchUp =
  /** The client resumes: exactly the events after its `since`, in order. */
  | { resumed: true; from: number; seq: number; entries: JournalEntry[] }
  /**
   * The client starts over from a snapshot (of event `seq`), then the events committed since
   * it was taken; `reset` when it asked to resume and could not.
   */
  | { resumed: false; seq: number; snapshot: string; entries: JournalEntry[] };

export interface Home {
  registry: DeviceRegistry;
  rooms: { list(): Room[] };
}

/**
 * Where a connecting client starts. The caller joins the live stream synchronously once this
 * resolves, so nothing can fall between what it catches up on and what it hears next.
 *
 * The registry may hold changes whose events are still being committed. A snapshot is taken
 * now, numbered with the newest event it includes, and handed over only once listeners have
 * heard that event (see Journal): a client sees nothing that others have not. While the
 * storage refuses writes, it is handed over at once, numbered with the last event heard, so
 * the waiting events still follow it.
 */
export async function catchUp(journal: Journal, home: Home, since: number | undefined, limit?: number): Promise<CatchUp> {
  if (since !== undefined) {
    const entries = journal.readSince(since, limit);
    if (entries) return { resumed: true, from: since, seq: entries.at(-1)?.seq ?? journal.lastSeq, entries };
  }
  for (;;) {
    const seq = journal.storageFailing ? journal.lastSeq : journal.lastAssigned;
    const snapshot = JSON.stringify({ type: 'snapshot', seq, reset: since !== undefined, devices: home.registry.list(), rooms: home.rooms.list() });
    await journal.heardThrough(seq);
    const entries = journal.readSince(seq, limit);
    if (entries) return { resumed: false, seq, snapshot, entries };
  }
}

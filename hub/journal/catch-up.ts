import type { Room } from '../protocol/device.js';
import type { DeviceRegistry } from '../registry/registry.js';
import type { Journal, JournalEntry } from './journal.js';

export type CatchUp =
  /** The client resumes: exactly the events after its `since`, in order. */
  | { resumed: true; from: number; seq: number; entries: JournalEntry[] }
  /** The client starts over from a snapshot; `reset` when it asked to resume and could not. */
  | { resumed: false; seq: number; snapshot: string };

/**
 * Where a connecting client starts. Called synchronously right before the client joins the
 * live stream, so nothing can fall between what it catches up on and what it hears next.
 */
export interface Home {
  registry: DeviceRegistry;
  rooms: { list(): Room[] };
}

export function catchUp(journal: Journal, home: Home, since: number | undefined, limit?: number): CatchUp {
  // Commit what is queued, so the registry and the journal agree on `lastSeq`.
  journal.settle();
  const seq = journal.lastSeq;
  if (since !== undefined) {
    const entries = journal.readSince(since, limit);
    if (entries) return { resumed: true, from: since, seq: entries.at(-1)?.seq ?? seq, entries };
  }
  const snapshot = JSON.stringify({ type: 'snapshot', seq, reset: since !== undefined, devices: home.registry.list(), rooms: home.rooms.list() });
  return { resumed: false, seq, snapshot };
}

import type { JournalMessage } from '../protocol/messages.js';
import type { Db } from './database.js';
import type { WriteOp } from './write-batch.js';

/** What writes gathered rows late (see gathered-writes.ts): the history, the device states. */
export type ReplayName = 'history' | 'state';

/**
 * The journal event after which a crash would have to read events again for `name`'s rows:
 * every row from events up to it is on disk. Committed with the rows it speaks of.
 */
export const replayProgress = (name: ReplayName, after: number): WriteOp => ({
  sql: 'UPDATE replay_progress SET after = ? WHERE name = ?',
  width: 2,
  params: [after, name],
});

/** The journal's events that `name` must read again after a crash, oldest first (none after a clean stop). */
export function* eventsToReplay(db: Db, name: ReplayName): Generator<JournalMessage> {
  const after = db.prepare<[string], { after: number }>('SELECT after FROM replay_progress WHERE name = ?').get(name)?.after ?? Infinity;
  const events = db.prepare<[number], { body: string }>('SELECT body FROM events WHERE seq > ? ORDER BY seq');
  for (const { body } of events.iterate(after)) yield JSON.parse(body) as JournalMessage;
}

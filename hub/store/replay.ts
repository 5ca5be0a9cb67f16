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

export function replayAfter(db: Db, name: ReplayName): number {
  return db.prepare<[string], { after: number }>('SELECT after FROM replay_progress WHERE name = ?').get(name)?.after ?? Infinity;
}

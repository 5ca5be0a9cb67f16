import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { GatheredWrites } from '../../hub/store/gathered-writes.js';
import { WriteBatch, type WriteOp } from '../../hub/store/write-batch.js';
import { newDataDir } from '../helpers/hub.js';

const open: { db: Db; batch: WriteBatch }[] = [];
afterEach(async () => {
  for (const { db, batch } of open.splice(0)) {
    await batch.close();
    db.close();
  }
});

const room = (id: string): WriteOp => ({ sql: 'INSERT OR REPLACE INTO rooms (id, name, position) VALUES (?, ?, 0)', width: 2, params: [id, id] });
/** The next turn of the event loop's timers: after every timer set before it with no delay. */
const nextTimers = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('gathered writes', () => {
  it('write what was gathered after a removal behind the removal, even when a take was already queued before it', async () => {
    const { db } = openDatabase(newDataDir());
    const batch = new WriteBatch(db);
    open.push({ db, batch });
    // One gathered row, always due: the room "kitchen", as a state saved again after its removal.
    let gathered = true;
    const writes = new GatheredWrites(batch, { firstSince: () => (gathered ? 0 : null), count: () => (gathered ? 1 : 0), take: () => ((gathered = false), [room('kitchen')]) }, 0);
    await batch.write([room('kitchen')]);

    // A commit under way, so the take is queued behind it and has not run.
    const busy = batch.write([room('hall')]);
    await new Promise((resolve) => setImmediate(resolve));
    gathered = true;
    writes.wake();
    batch.run('DELETE FROM rooms WHERE id = ?', 'kitchen');
    writes.reorder();
    await busy;
    await batch.settled();
    await nextTimers();
    await batch.settled();
    expect(db.prepare('SELECT id FROM rooms ORDER BY id').pluck().all()).toStrictEqual(['hall', 'kitchen']);
  });

  it('gather a few rows for the quiet time, and write at the busy time once a take\'s worth is gathered', async () => {
    const { db } = openDatabase(newDataDir());
    const batch = new WriteBatch(db);
    open.push({ db, batch });
    let rows = 1;
    const taken: number[] = [];
    const since = performance.now();
    // Busy: at once; quiet: an hour, which no test waits for.
    const writes = new GatheredWrites(batch, { firstSince: () => (rows > 0 ? since : null), count: () => rows, take: () => (taken.push(rows), (rows = 0), [room('kitchen')]) }, 0, 3_600_000);

    // No commit of its own for an hour; one that started sooner for other writes would carry it.
    writes.wake();
    await nextTimers();
    await nextTimers();
    expect(taken).toStrictEqual([]);

    rows = 1000;
    writes.wake();
    await nextTimers();
    await batch.settled();
    expect(taken).toStrictEqual([1000]);
    expect(db.prepare('SELECT id FROM rooms').pluck().all()).toStrictEqual(['kitchen']);
    await writes.flush();
  });
});

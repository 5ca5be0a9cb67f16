import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { WriteBatch } from '../../hub/store/write-batch.js';
import { newDataDir } from '../helpers/hub.js';

const open: { db: Db; batch: WriteBatch }[] = [];
afterEach(async () => {
  for (const { db, batch } of open.splice(0)) {
    await batch.close();
    db.close();
  }
});

function batchOn(dataDir: string) {
  const { db } = openDatabase(dataDir);
  const batch = new WriteBatch(db);
  open.push({ db, batch });
  return { db, batch };
}

const insertRoom = (id: string) => [{ sql: 'INSERT INTO rooms (id, name, position) VALUES (?, ?, 0)', width: 2, params: [id, id] }];

describe('write batch', () => {
  it('numbers its commits on from the last one on disk, across restarts', async () => {
    const dataDir = newDataDir();
    const first = batchOn(dataDir);
    await first.batch.write(insertRoom('a'));
    await first.batch.write(insertRoom('b'));
    const after = first.db.prepare('SELECT commit_no FROM writer_progress').pluck().get() as number;
    await first.batch.close();
    first.db.close();
    open.splice(0);

    const again = batchOn(dataDir);
    await again.batch.write(insertRoom('c'));
    expect(again.db.prepare('SELECT commit_no FROM writer_progress').pluck().get()).toBe(after + 1);
    expect(again.db.prepare('SELECT id FROM rooms ORDER BY id').pluck().all()).toStrictEqual(['a', 'b', 'c']);
  });

  it('skips a commit the writer has already made, as when one is sent again to a new writer thread', async () => {
    const { db, batch } = batchOn(newDataDir());
    const last = db.prepare('SELECT commit_no FROM writer_progress').pluck().get() as number;
    // As if the thread had committed the next commit and stopped before answering: the new
    // thread that takes over reads what is on disk.
    db.prepare('UPDATE writer_progress SET commit_no = ?').run(last + 1);
    await (batch as unknown as { thread: Worker }).thread.terminate();
    await batch.write(insertRoom('twice'));
    expect(db.prepare('SELECT count(*) FROM rooms').pluck().get()).toBe(0);
    await batch.write(insertRoom('once'));
    expect(db.prepare('SELECT id FROM rooms').pluck().all()).toStrictEqual(['once']);
  });
});

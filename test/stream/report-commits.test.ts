import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../hub/journal/journal.js';
import { openDatabase, type Db } from '../../hub/store/database.js';
import { WriteBatch } from '../../hub/store/write-batch.js';
import { newDataDir } from '../helpers/hub.js';

/**
 * The journal on a real database and writer thread: which events clients hear before their
 * commit (device reports), which only after (everything else), and how the numbers a client
 * heard stay unique through a crash. The hub-level crash test is stream/crash.test.ts.
 */
const open: { db: Db; batch: WriteBatch }[] = [];
afterEach(async () => {
  for (const { db, batch } of open.splice(0)) {
    await batch.close();
    db.close();
  }
});

const HOUR = 3_600_000;
const silent = { error() {} };
const report = (power: number) => ({ type: 'state' as const, id: 'k1', state: { power }, changed: { power }, lastSeen: 0 });
const offline = { type: 'availability' as const, id: 'k1', online: false };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function openJournal(dataDir: string, reportCommitMs = HOUR) {
  const { db } = openDatabase(dataDir);
  const batch = new WriteBatch(db);
  open.push({ db, batch });
  const journal = new Journal(db, batch, { retain: 100_000, inMemory: 100, reportCommitMs }, silent);
  const heard: number[] = [];
  journal.subscribe((entries) => heard.push(...entries.map((e) => e.seq)));
  const stored = () => db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
  return { db, batch, journal, heard, stored };
}

describe('when clients hear an event', () => {
  it('hears a report before its commit, and an availability change and every report behind it only after', async () => {
    const { batch, journal, heard, stored } = openJournal(newDataDir());
    // The first report reserves the numbers reports may be heard with: its commit starts at once.
    journal.append(report(1));
    await journal.heardThrough(1);
    expect(stored()).toStrictEqual([1]);

    journal.append(report(2));
    await nextTurn();
    expect(heard).toStrictEqual([1, 2]);
    expect(stored()).toStrictEqual([1]);

    // Whether each event was on disk at the moment listeners heard it.
    const onDiskWhenHeard = new Map<number, boolean>();
    journal.subscribe((entries) => {
      const onDisk = new Set(stored());
      for (const entry of entries) onDiskWhenHeard.set(entry.seq, onDisk.has(entry.seq));
    });
    journal.append(offline);
    journal.append(report(3));
    await journal.heardThrough(4);
    expect(heard).toStrictEqual([1, 2, 3, 4]);
    expect(Object.fromEntries(onDiskWhenHeard)).toStrictEqual({ 3: true, 4: true });
    await batch.settled();
    expect(stored()).toStrictEqual([1, 2, 3, 4]);
  });

  it('hears every event only after its commit with reportCommitMs 0', async () => {
    const { journal, heard, stored } = openJournal(newDataDir(), 0);
    journal.append(report(1));
    journal.append(report(2));
    expect(heard).toStrictEqual([]);
    await journal.heardThrough(2);
    expect(stored()).toStrictEqual([1, 2]);
  });
});

describe('resuming while reports wait for their commit', () => {
  it('replays from disk up to the last commit and from memory after it, with no gap', async () => {
    const { batch, journal, stored } = openJournal(newDataDir());
    for (let power = 1; power <= 300; power++) journal.append(report(power));
    await batch.settled();
    expect(stored()).toHaveLength(300);
    // Heard, not yet committed; memory keeps fewer committed events than a client may ask for.
    for (let power = 301; power <= 600; power++) journal.append(report(power));
    await journal.heardThrough(600);
    expect(stored()).toHaveLength(300);

    const seqs = (entries: { seq: number }[] | null) => entries?.map((e) => e.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(seqs(journal.readSince(100))).toStrictEqual(range(101, 600));
    expect(seqs(journal.readSince(100, 250))).toStrictEqual(range(101, 350));
    expect(seqs(journal.readSince(100, 150))).toStrictEqual(range(101, 250));
  });
});

describe('sequence numbers through a crash', () => {
  it('goes on past the reserved numbers after a crash, and a client that heard a lost event starts over', async () => {
    const dataDir = newDataDir();
    const before = openJournal(dataDir);
    before.journal.append(report(1));
    await before.journal.heardThrough(1);
    before.journal.append(report(2));
    await before.journal.heardThrough(2);
    // Report 2 was heard but never committed: the process dies here (the writer is only closed).
    expect(before.stored()).toStrictEqual([1]);

    const after = openJournal(dataDir);
    const next = after.journal.append(report(3))!;
    expect(next.seq).toBeGreaterThan(2);
    await after.journal.heardThrough(next.seq);
    expect(after.stored()).toStrictEqual([1, next.seq]);
    // Heard up to 2, which is gone: a snapshot, never the new event as if it followed. One
    // that heard up to 1 starts over too: the numbers after it go on past a gap.
    expect(after.journal.readSince(2)).toBeNull();
    expect(after.journal.readSince(1)).toBeNull();
    expect(after.journal.readSince(0)?.map((e) => e.seq)).toStrictEqual([1, next.seq]);
  });

  it('gives the number after the last event once stopped cleanly', async () => {
    const dataDir = newDataDir();
    const before = openJournal(dataDir);
    before.journal.append(report(1));
    before.journal.append(report(2));
    await before.journal.heardThrough(2);
    await before.journal.close();

    const after = openJournal(dataDir);
    expect(after.journal.lastSeq).toBe(2);
    expect(after.journal.append(report(3))?.seq).toBe(3);
    expect(after.journal.readSince(1)?.map((e) => e.seq)).toStrictEqual([2]);
  });
});

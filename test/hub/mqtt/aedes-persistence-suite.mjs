// The abstract test suite aedes-persistence ships (abstract.js, the one every aedes
// persistence passes), run by node:test against the hub's SessionStore on a fresh SQLite
// database per test. Started by aedes-persistence-suite.test.ts, on the built hub (dist/).
import { test } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openDatabase } from '../../../dist/hub/store/database.js';
import { RetainedQuota } from '../../../dist/hub/mqtt/retained-quota.js';
import { SessionRows } from '../../../dist/hub/mqtt/session-rows.js';
import { SessionStore } from '../../../dist/hub/mqtt/session-store.js';

const abstractPersistence = createRequire(import.meta.url)('aedes-persistence/abstract.js');
/** A logger that says nothing: the suite's own output is what counts. */
const quiet = { warn() {}, error() {}, info() {}, debug() {}, child() { return quiet; } };
const limits = { maxMessages: 1e9, maxBytes: 1e12, maxMessagesPerCredential: 1e9, maxBytesPerCredential: 1e12 };

abstractPersistence({
  test,
  testAsync: true,
  persistence: () => {
    const { db } = openDatabase(mkdtempSync(join(tmpdir(), 'hearth-persistence-')));
    return new SessionStore({ rows: new SessionRows(db), quota: new RetainedQuota(limits), maxQueued: 1e9, flushMs: 1000, log: quiet });
  },
});

import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, makePrivateFile } from './private-files.js';
import { Database, hubConnectionName } from './sqlite.js';

export type Db = Database.Database;

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`.
 * Append only: a shipped migration is never edited, since user databases already ran it.
 */
export const migrations: readonly string[] = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     manufacturer TEXT,
     model TEXT,
     capabilities TEXT NOT NULL,
     source TEXT NOT NULL,
     state TEXT NOT NULL DEFAULT '{}',
     last_seen INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE discovery (
     topic TEXT PRIMARY KEY,
     device_id TEXT NOT NULL,
     payload TEXT NOT NULL,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX discovery_device ON discovery (device_id);`,
  // AUTOINCREMENT: a sequence number is never handed out twice, even after pruning.
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     body TEXT NOT NULL
   );`,
  // History: raw changes for days, minute and hour summaries for longer. Rows of one series
  // are read in index order (time, then arrival), so readings within one millisecond keep their order.
  `CREATE TABLE history (
     device_id TEXT NOT NULL,
     property TEXT NOT NULL,
     at INTEGER NOT NULL,
     value REAL NOT NULL
   );
   CREATE INDEX history_series ON history (device_id, property, at);
   CREATE INDEX history_at ON history (at);
   CREATE TABLE history_minute (
     device_id TEXT NOT NULL, property TEXT NOT NULL, bucket INTEGER NOT NULL,
     avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
     PRIMARY KEY (device_id, property, bucket)
   ) WITHOUT ROWID;
   CREATE TABLE history_hour (
     device_id TEXT NOT NULL, property TEXT NOT NULL, bucket INTEGER NOT NULL,
     avg REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
     PRIMARY KEY (device_id, property, bucket)
   ) WITHOUT ROWID;
   CREATE TABLE rooms (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     position INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE device_settings (
     device_id TEXT PRIMARY KEY,
     name TEXT,
     room_id TEXT,
     favourite INTEGER NOT NULL DEFAULT 0,
     position INTEGER
   ) STRICT;`,
  // Summaries by time alone: the newest summarised minute (read at every start) and the
  // minutely roll-up and pruning would otherwise scan a year of summaries.
  `CREATE INDEX history_minute_bucket ON history_minute (bucket);
   CREATE INDEX history_hour_bucket ON history_hour (bucket);`,
  // People: passwords as scrypt hashes; sessions and API tokens only as digests of their secrets.
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE sessions (
     digest TEXT PRIMARY KEY,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE api_tokens (
     id TEXT PRIMARY KEY,
     digest TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER
   ) STRICT;`,
  // MQTT device credentials: the password only as its SHA-256 (see mqtt/credentials.ts).
  `CREATE TABLE mqtt_credentials (
     username TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     password_sha256 BLOB NOT NULL,
     topics TEXT NOT NULL,
     created_at INTEGER NOT NULL
   ) STRICT;`,
  // How far history has been summarised: minutes up to minutes_to (in slices, so a crash
  // mid-way resumes exactly), and minutes and hours both up to rolled_minute.
  `CREATE TABLE history_rollup (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     minutes_to INTEGER NOT NULL,
     rolled_minute INTEGER NOT NULL
   ) STRICT;`,
  // State in a narrow table of its own: each reading rewrote the device's whole row, its
  // capabilities and topics included, and 10,000 devices' rows spread over thousands of pages,
  // each written to the WAL whole. devices.state and last_seen are no longer written.
  `CREATE TABLE device_state (
     id TEXT PRIMARY KEY,
     state TEXT NOT NULL,
     last_seen INTEGER,
     updated_at INTEGER NOT NULL
   ) STRICT, WITHOUT ROWID;
   INSERT INTO device_state (id, state, last_seen, updated_at) SELECT id, state, last_seen, updated_at FROM devices;`,
  // The number of the writer thread's last commit, committed with it: a commit sent again to a
  // new thread after the old one stopped is skipped if the old one had finished it.
  `CREATE TABLE writer_progress (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     commit_no INTEGER NOT NULL
   ) STRICT;
   INSERT INTO writer_progress (id, commit_no) VALUES (1, 0);`,
  // History readings and device states are gathered in memory for a few seconds before they
  // are written (see store/gathered-writes.ts); after a crash, the journal events after
  // `after` are read again for them. Before this, both were written with their events.
  `CREATE TABLE replay_progress (
     name TEXT PRIMARY KEY,
     after INTEGER NOT NULL
   ) STRICT;
   INSERT INTO replay_progress (name, after)
     SELECT name, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) FROM (SELECT 'history' AS name UNION ALL SELECT 'state');`,
  // The embedded broker's retained messages (with the credential that stored each, for its
  // quota), persistent sessions (with the credential that made each) and their queued
  // messages, written in batches by mqtt/session-store.ts.
  `CREATE TABLE mqtt_retained (
     topic TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     packet TEXT NOT NULL,
     payload BLOB NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE mqtt_sessions (
     client_id TEXT PRIMARY KEY,
     owner TEXT,
     subscriptions TEXT NOT NULL
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE mqtt_queued (
     client_id TEXT NOT NULL,
     key TEXT NOT NULL,
     seq INTEGER NOT NULL,
     packet TEXT NOT NULL,
     payload BLOB NOT NULL,
     PRIMARY KEY (client_id, key)
   ) STRICT;`,
  // Order by sequence, not by wall time, which steps (a Raspberry Pi has no real-time clock):
  // a history row keeps the journal event that brought it, so a crash replay knows it exactly;
  // summaries follow the rows in the order they were written (rows_to: rowid), so a row
  // stamped in an already summarised minute is summarised too. Summaries so far went by time:
  // they continue from the last row of the minutes they had done.
  `ALTER TABLE history ADD COLUMN seq INTEGER;
   ALTER TABLE history_rollup ADD COLUMN rows_to INTEGER NOT NULL DEFAULT 0;
   UPDATE history_rollup SET rows_to = coalesce((SELECT max(rowid) FROM history WHERE at < history_rollup.minutes_to), 0);`,
  // Sessions say where they were started, so a person can tell theirs apart in the list; a
  // discovery message records the MQTT user that published it, to whom its device then belongs.
  `ALTER TABLE sessions ADD COLUMN address TEXT;
   ALTER TABLE sessions ADD COLUMN user_agent TEXT;
   ALTER TABLE discovery ADD COLUMN publisher TEXT;`,
  // The same device password hashed as Mosquitto's dynamic security plugin stores it
  // (PBKDF2-SHA512), so a hub-run Mosquitto can be given every credential at each start
  // without the password (see broker/dynsec.ts). Null for credentials made before.
  `ALTER TABLE mqtt_credentials ADD COLUMN mosquitto_hash TEXT;`,
  // A device's entities (id, name, properties) as JSON, so a restart shows the same device
  // without re-describing it; rows from before are re-described once by the stored announcements.
  `ALTER TABLE devices ADD COLUMN entities TEXT NOT NULL DEFAULT '[]';`,
  // Scenes, automations (with every saved edit), their last runs, the start of each pending
  // "stays for" hold (so a hold survives a restart), notifications, and the home's place and
  // time zone for time and sun triggers.
  `CREATE TABLE scenes (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     targets TEXT NOT NULL,
     position INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE automations (
     id TEXT PRIMARY KEY,
     definition TEXT NOT NULL,
     enabled INTEGER NOT NULL,
     flagged TEXT,
     updated_at INTEGER NOT NULL
   ) STRICT;
   CREATE TABLE automation_edits (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     automation_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     editor TEXT,
     definition TEXT
   );
   CREATE INDEX automation_edits_of ON automation_edits (automation_id, seq);
   CREATE TABLE automation_traces (
     id TEXT PRIMARY KEY,
     automation_id TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     trace TEXT NOT NULL
   ) STRICT;
   CREATE INDEX automation_traces_of ON automation_traces (automation_id, started_at);
   CREATE TABLE automation_holds (
     automation_id TEXT NOT NULL,
     trigger_index INTEGER NOT NULL,
     since INTEGER NOT NULL,
     PRIMARY KEY (automation_id, trigger_index)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE notifications (
     id TEXT PRIMARY KEY,
     at INTEGER NOT NULL,
     message TEXT NOT NULL,
     automation_id TEXT
   ) STRICT;
   CREATE INDEX notifications_at ON notifications (at);
   CREATE TABLE home_settings (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     time_zone TEXT,
     latitude REAL,
     longitude REAL
   ) STRICT;`,
  // Raw rows found by time (to prune them) through an index of their ten seconds, not of
  // their millisecond. A series' rows are written many seconds' worth at a time, and in an
  // index by the millisecond each landed among the other series' rows of those seconds, a
  // page apiece. Under one ten seconds the new rows have the largest rowids and go to its
  // end, side by side. At 1,000 readings/s this index went from 116 to 46 bytes written per
  // reading (write-budget load, WAL and checkpoint writes by page, 30 s).
  `DROP INDEX history_at;
   CREATE INDEX history_10s ON history (at / 10000);`,
  // Retained messages in a table with rowids: a row of a table without them keeps at most
  // about 230 bytes on its page with 1 KiB pages, and a retained message (its packet's
  // fields, its payload) is more, so each spilled onto a page of its own, and each flush
  // rewrote that whole page. Rows are updated in place from now on (see mqtt/session-rows.ts).
  `CREATE TABLE mqtt_retained_rows (
     topic TEXT NOT NULL UNIQUE,
     owner TEXT NOT NULL,
     packet TEXT NOT NULL,
     payload BLOB NOT NULL
   ) STRICT;
   INSERT INTO mqtt_retained_rows (topic, owner, packet, payload) SELECT topic, owner, packet, payload FROM mqtt_retained;
   DROP TABLE mqtt_retained;
   ALTER TABLE mqtt_retained_rows RENAME TO mqtt_retained;`,
];

/** The schema version of a database this hub has migrated (its `PRAGMA user_version`). */
export const SCHEMA_VERSION = migrations.length;

export interface OpenedDatabase {
  db: Db;
  /** Where an unreadable database file was moved before a fresh one was made, if it was. */
  setAside: string | null;
}

/**
 * Opens (and migrates) the hub's database. A file that is not a database, or is corrupt
 * where the hub reads first, is moved aside (never deleted: it may still be rescued) and
 * a fresh one made, so a damaged disk cannot put the hub in a crash loop. A database
 * locked by another process throws SQLITE_BUSY for the caller to wait on.
 */
export function openDatabase(dataDir: string, now: () => Date = () => new Date()): OpenedDatabase {
  makePrivateDir(dataDir);
  const file = join(dataDir, 'hearth.db');
  try {
    makePrivateFile(file, SQLITE_SIDE_FILES);
    return { db: open(file), setAside: null };
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const aside = `${file}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', ...SQLITE_SIDE_FILES]) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    makePrivateFile(file);
    return { db: open(file), setAside: aside };
  }
}

/** The files SQLite keeps beside a database in WAL mode. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm'] as const;

const isCorruption = (error: unknown) => /^SQLITE_(NOTADB|CORRUPT)/.test((error as { code?: string } | null)?.code ?? '');

/** Settings of every connection that reads and writes the hub's database (the writer thread's too). */
export const CONNECTION_PRAGMAS = [
  // Short: a write waiting on another process's lock blocks the event loop meanwhile.
  'busy_timeout = 1000',
  // NORMAL sync is safe in WAL mode: a crash loses at most the last uncommitted transaction.
  'synchronous = NORMAL',
  'foreign_keys = ON',
  // 32 MiB of page cache (SQLite's default is 2 MiB): with thousands of devices reporting, the
  // state rows, the journal's and the history's index pages being written stay in memory
  // instead of being read back from the file on every commit.
  'cache_size = -32768',
];

function open(file: string): Db {
  const db = new Database(hubConnectionName(file));
  try {
    for (const pragma of CONNECTION_PRAGMAS) db.pragma(pragma);
    // A new database gets 1 KiB pages (an existing one keeps its own): a commit writes each
    // page it touches whole, and a home at rest touches a few rows of many pages. With the
    // demo home idle this took the hub from 5.5 to 3.4 MiB written an hour (/proc/<pid>/io).
    db.pragma('page_size = 1024');
    // WAL lets readers run beside the single writer; set once, it stays with the file.
    db.pragma('journal_mode = WAL');
    // Reads the schema, so a damaged first page is found here rather than mid-start.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db): void {
  const current = renumberPeopleBeforeSummaryIndexes(db, db.pragma('user_version', { simple: true }) as number);
  if (current > migrations.length) {
    throw new Error(`database schema version ${current} is newer than this hub (${migrations.length}); upgrade the hub`);
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/**
 * Versions 4 and 5 once meant other migrations: main had people (today's 5) as version 4 and
 * device credentials (today's 6) as 5 until the summary indexes (today's 4) were merged in
 * ahead of them, and such a database failed to open ("table users already exists"). It is
 * told by its users table without the indexes; it gets the indexes and today's number.
 */
function renumberPeopleBeforeSummaryIndexes(db: Db, version: number): number {
  const has = (name: string) => db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(name) !== undefined;
  if ((version !== 4 && version !== 5) || !has('users') || has('history_minute_bucket')) return version;
  db.transaction(() => {
    db.exec(migrations[3]!);
    db.pragma(`user_version = ${version + 1}`);
  })();
  return version + 1;
}

import { Database } from './sqlite.js';
import { migrations, SCHEMA_VERSION } from './database.js';

export type BackupVerdict = { ok: true; schemaVersion: number } | { ok: false; reason: string };

/**
 * Whether `file` is a whole Hearth database this hub can open: SQLite's integrity_check
 * passes, its schema version is one this hub has had, and it holds every table and index
 * that version had. Opens the file, so give it a copy, never the only one.
 */
export function checkBackupFile(file: string): BackupVerdict {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true }) as string;
    if (check !== 'ok') return { ok: false, reason: `it fails SQLite's integrity check (${check})` };
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) return { ok: false, reason: `it was made by a newer hub (schema version ${version}, this hub knows up to ${SCHEMA_VERSION}); upgrade the hub first` };
    const present = new Set(db.prepare<[], { name: string }>('SELECT name FROM sqlite_schema').all().map((row) => row.name));
    const missing = schemaAt(version).filter((name) => !present.has(name));
    if (version === 0 || missing.length > 0) return { ok: false, reason: `it is not a Hearth database (schema version ${version}${missing.length > 0 ? `, no ${missing.slice(0, 3).join(', ')}` : ''})` };
    return { ok: true, schemaVersion: version };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { ok: false, reason: code === 'SQLITE_NOTADB' ? 'it is not a SQLite database' : `SQLite cannot read it (${message})` };
  } finally {
    db?.close();
  }
}

/** The tables and indexes a Hearth database of schema `version` has, from the migrations that made it. */
export function schemaAt(version: number): string[] {
  const db = new Database(':memory:');
  try {
    for (const migration of migrations.slice(0, version)) db.exec(migration);
    return db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all().map((row) => row.name);
  } finally {
    db.close();
  }
}

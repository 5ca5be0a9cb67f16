import type { Automation, AutomationDefinition, Trace } from '../protocol/automations.js';
import type { Db } from '../store/database.js';

/** Runs kept per automation, newest; older traces are dropped as new runs end. */
export const TRACES_KEPT = 50;

interface AutomationRow {
  id: string;
  definition: string;
  enabled: number;
  flagged: string | null;
  updated_at: number;
}

export interface Edit {
  seq: number;
  at: number;
  editor: string | null;
  /** The definition as saved; null when the automation was removed. */
  definition: AutomationDefinition | null;
}

/** Automations, every saved edit of them, their last runs and their pending holds, in SQLite. */
export class AutomationStore {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      all: db.prepare<[], AutomationRow>('SELECT id, definition, enabled, flagged, updated_at FROM automations'),
      put: db.prepare(
        `INSERT INTO automations (id, definition, enabled, flagged, updated_at) VALUES (@id, @definition, @enabled, @flagged, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET definition = @definition, enabled = @enabled, flagged = @flagged, updated_at = @updatedAt`,
      ),
      remove: db.prepare('DELETE FROM automations WHERE id = ?'),
      edit: db.prepare('INSERT INTO automation_edits (automation_id, at, editor, definition) VALUES (?, ?, ?, ?)'),
      edits: db.prepare<[string], { seq: number; at: number; editor: string | null; definition: string | null }>(
        'SELECT seq, at, editor, definition FROM automation_edits WHERE automation_id = ? ORDER BY seq DESC',
      ),
      putTrace: db.prepare('INSERT INTO automation_traces (id, automation_id, started_at, trace) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET trace = excluded.trace'),
      traces: db.prepare<[string, number], { trace: string }>('SELECT trace FROM automation_traces WHERE automation_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?'),
      pruneTraces: db.prepare(
        `DELETE FROM automation_traces WHERE automation_id = ?1 AND id NOT IN
           (SELECT id FROM automation_traces WHERE automation_id = ?1 ORDER BY started_at DESC, rowid DESC LIMIT ?2)`,
      ),
      removeTraces: db.prepare('DELETE FROM automation_traces WHERE automation_id = ?'),
      hold: db.prepare<[string, number], { since: number }>('SELECT since FROM automation_holds WHERE automation_id = ? AND trigger_index = ?'),
      putHold: db.prepare('INSERT INTO automation_holds (automation_id, trigger_index, since) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET since = excluded.since'),
      clearHold: db.prepare('DELETE FROM automation_holds WHERE automation_id = ? AND trigger_index = ?'),
      clearHolds: db.prepare('DELETE FROM automation_holds WHERE automation_id = ?'),
    };
  }

  load(): Automation[] {
    return this.s.all.all().map((row) => ({
      ...(JSON.parse(row.definition) as AutomationDefinition),
      id: row.id,
      enabled: row.enabled === 1,
      flagged: row.flagged,
      updatedAt: row.updated_at,
    }));
  }

  save(automation: Automation): void {
    const { id, enabled, flagged, updatedAt, ...definition } = automation;
    this.s.put.run({ id, definition: JSON.stringify(definition), enabled: enabled ? 1 : 0, flagged, updatedAt });
  }

  /** Saves an edit (a new or changed definition, or a removal) and keeps it in the history. */
  recordEdit(id: string, at: number, editor: string | null, definition: AutomationDefinition | null): void {
    this.s.edit.run(id, at, editor, definition && JSON.stringify(definition));
  }

  edits(id: string): Edit[] {
    return this.s.edits.all(id).map((r) => ({ ...r, definition: r.definition === null ? null : (JSON.parse(r.definition) as AutomationDefinition) }));
  }

  remove(id: string): void {
    this.s.remove.run(id);
    this.s.removeTraces.run(id);
    this.s.clearHolds.run(id);
  }

  saveTrace(trace: Trace): void {
    this.s.putTrace.run(trace.id, trace.automation, trace.startedAt, JSON.stringify(trace));
    if (trace.result !== 'running') this.s.pruneTraces.run(trace.automation, TRACES_KEPT);
  }

  traces(id: string): Trace[] {
    return this.s.traces.all(id, TRACES_KEPT).map((r) => JSON.parse(r.trace) as Trace);
  }

  holdSince(id: string, trigger: number): number | undefined {
    return this.s.hold.get(id, trigger)?.since;
  }

  startHold(id: string, trigger: number, since: number): void {
    this.s.putHold.run(id, trigger, since);
  }

  clearHold(id: string, trigger: number): void {
    this.s.clearHold.run(id, trigger);
  }

  clearHolds(id: string): void {
    this.s.clearHolds.run(id);
  }
}

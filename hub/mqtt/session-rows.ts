import type { Db } from '../store/database.js';

/** A packet as the broker keeps it (aedes-packet), loosely: only what is stored is named. */
export interface StoredPacket {
  cmd: string;
  topic: string;
  payload: Buffer;
  brokerId?: string;
  brokerCounter?: number;
  messageId?: number;
  qos: number;
  retain: boolean;
  [field: string]: unknown;
}

export interface RetainedRow {
  topic: string;
  owner: string;
  packet: StoredPacket;
}

export interface SessionRow {
  clientId: string;
  owner: string | null;
  subscriptions: string;
}

export interface QueuedRow {
  clientId: string;
  key: string;
  seq: number;
  packet: StoredPacket;
}

/** One flush: rows to write and rows to remove, in one transaction. */
export interface SessionChanges {
  retained: Map<string, RetainedRow | null>;
  sessions: Map<string, SessionRow | null>;
  queuedPut: QueuedRow[];
  queuedDelete: { clientId: string; key: string }[];
}

const toRow = (packet: StoredPacket): [string, Buffer] => {
  const { payload, ...fields } = packet;
  return [JSON.stringify(fields), Buffer.from(payload ?? Buffer.alloc(0))];
};

const fromRow = (fields: string, payload: Buffer): StoredPacket => ({ ...(JSON.parse(fields) as StoredPacket), payload });

/** The broker's retained messages, persistent sessions and their queued messages in SQLite. */
export class SessionRows {
  private readonly statements;
  private readonly apply: (changes: SessionChanges) => void;

  constructor(private readonly db: Db) {
    this.statements = {
      retained: db.prepare<[], { topic: string; owner: string; packet: string; payload: Buffer }>('SELECT * FROM mqtt_retained'),
      sessions: db.prepare<[], { client_id: string; owner: string | null; subscriptions: string }>('SELECT * FROM mqtt_sessions'),
      queued: db.prepare<[], { client_id: string; key: string; seq: number; packet: string; payload: Buffer }>('SELECT * FROM mqtt_queued ORDER BY client_id, seq'),
      // In place: a replaced row would be deleted and written anew at the table's end.
      putRetained: db.prepare(
        'INSERT INTO mqtt_retained (topic, owner, packet, payload) VALUES (?, ?, ?, ?) ON CONFLICT (topic) DO UPDATE SET owner = excluded.owner, packet = excluded.packet, payload = excluded.payload',
      ),
      deleteRetained: db.prepare('DELETE FROM mqtt_retained WHERE topic = ?'),
      putSession: db.prepare('INSERT OR REPLACE INTO mqtt_sessions (client_id, owner, subscriptions) VALUES (?, ?, ?)'),
      deleteSession: db.prepare('DELETE FROM mqtt_sessions WHERE client_id = ?'),
      putQueued: db.prepare('INSERT OR REPLACE INTO mqtt_queued (client_id, key, seq, packet, payload) VALUES (?, ?, ?, ?, ?)'),
      deleteQueued: db.prepare('DELETE FROM mqtt_queued WHERE client_id = ? AND key = ?'),
    };
    const s = this.statements;
    this.apply = db.transaction((changes: SessionChanges) => {
      for (const [topic, row] of changes.retained) {
        if (row) s.putRetained.run(topic, row.owner, ...toRow(row.packet));
        else s.deleteRetained.run(topic);
      }
      for (const [clientId, row] of changes.sessions) {
        if (row) s.putSession.run(clientId, row.owner, row.subscriptions);
        else s.deleteSession.run(clientId);
      }
      for (const { clientId, key } of changes.queuedDelete) s.deleteQueued.run(clientId, key);
      for (const row of changes.queuedPut) s.putQueued.run(row.clientId, row.key, row.seq, ...toRow(row.packet));
    });
  }

  retained(): RetainedRow[] {
    return this.statements.retained.all().map((row) => ({ topic: row.topic, owner: row.owner, packet: fromRow(row.packet, row.payload) }));
  }

  sessions(): SessionRow[] {
    return this.statements.sessions.all().map((row) => ({ clientId: row.client_id, owner: row.owner, subscriptions: row.subscriptions }));
  }

  /** Queued messages in each client's order. */
  queued(): QueuedRow[] {
    return this.statements.queued.all().map((row) => ({ clientId: row.client_id, key: row.key, seq: row.seq, packet: fromRow(row.packet, row.payload) }));
  }

  write(changes: SessionChanges): void {
    this.apply(changes);
  }
}

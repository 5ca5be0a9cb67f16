import type { Capability, Device, DeviceEntity, DeviceKind, DeviceSettings, DeviceSource, DeviceState } from '../protocol/device.js';
import type { Db } from './database.js';
import { GATHER_MS, GatheredWrites, QUIET_GATHER_MS } from './gathered-writes.js';
import { eventsToReplay, replayProgress } from './replay.js';
import { WriteBatch, type StorageLogger, type WriteOp } from './write-batch.js';

interface DeviceRow {
  id: string;
  name: string;
  kind: string;
  manufacturer: string | null;
  model: string | null;
  capabilities: string;
  entities: string;
  source: string;
  state: string;
  last_seen: number | null;
}

export interface DiscoveryRecord {
  topic: string;
  deviceId: string;
  payload: string;
  /** The MQTT user name that published it; null for a publisher the hub does not bind (see bridge/binding.ts). */
  publisher: string | null;
}

const UPSERT_DEVICE = `INSERT INTO devices (id, name, kind, manufacturer, model, capabilities, entities, source, created_at, updated_at)
  VALUES (@id, @name, @kind, @manufacturer, @model, @capabilities, @entities, @source, @now, @now)
  ON CONFLICT (id) DO UPDATE SET name = @name, kind = @kind, manufacturer = @manufacturer, model = @model,
    capabilities = @capabilities, entities = @entities, source = @source, updated_at = @now`;
const PUT_DISCOVERY = `INSERT INTO discovery (topic, device_id, payload, publisher, updated_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (topic) DO UPDATE SET device_id = excluded.device_id, payload = excluded.payload, publisher = excluded.publisher, updated_at = excluded.updated_at`;
const SAVE_STATE = `INSERT INTO device_state (id, state, last_seen, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET state = excluded.state, last_seen = excluded.last_seen, updated_at = excluded.updated_at`;

/**
 * Devices, their last known state and the discovery messages they announced.
 * Device rows are written only through the write batch, in order: state writes are coalesced
 * per device, since a busy home reports far more often than SQLite can commit one row at a
 * time. What a device brings (its description, discovery messages, removal) goes through the
 * batch too, so a full disk never throws into the broker's hands: it waits and is retried.
 * Settings are the user's and written at once, so a refusal reaches the request that asked.
 */
export class DeviceStore {
  /** Shared with other stores (the journal), so one transaction covers all of a turn's writes. */
  readonly batch: WriteBatch;
  /**
   * States not written yet, oldest first, with the journal's last event before each first
   * changed: a busy home reports far more often than a state needs writing, and thousands
   * of devices' rows spread over pages that each commit would write whole.
   */
  private readonly unwrittenStates = new Map<string, { device: Device; after: number; since: number }>();
  private readonly stateWrites: GatheredWrites;
  /** The journal's newest sequence number (see numberStatesBy). */
  private lastSeq: () => number = () => 0;
  private closed = false;
  private readonly statements;
  /** Discovery topic to device, as it will be on disk once the batch commits: a removal must find what is still queued. */
  private readonly discoveryOwners: Map<string, string>;

  constructor(
    readonly db: Db,
    log?: StorageLogger,
  ) {
    this.batch = new WriteBatch(db, log);
    this.stateWrites = new GatheredWrites(
      this.batch,
      { firstSince: () => this.firstUnwritten()?.since ?? null, count: () => this.unwrittenStates.size, take: (cutoff, maxRows) => this.takeStates(cutoff, maxRows) },
      GATHER_MS,
      QUIET_GATHER_MS,
    );
    this.statements = {
      all: db.prepare<[], DeviceRow>(
        `SELECT d.id, d.name, d.kind, d.manufacturer, d.model, d.capabilities, d.entities, d.source, coalesce(s.state, d.state) AS state, coalesce(s.last_seen, d.last_seen) AS last_seen
         FROM devices d LEFT JOIN device_state s ON s.id = d.id ORDER BY d.created_at, d.id`,
      ),
      discoveryAll: db.prepare<[], { topic: string; device_id: string; payload: string; publisher: string | null }>(
        'SELECT topic, device_id, payload, publisher FROM discovery ORDER BY topic',
      ),
      settingsAll: db.prepare<[], { device_id: string; name: string | null; room_id: string | null; favourite: number; position: number | null }>(
        'SELECT * FROM device_settings',
      ),
      settingsPut: db.prepare(
        `INSERT INTO device_settings (device_id, name, room_id, favourite, position) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (device_id) DO UPDATE SET name = excluded.name, room_id = excluded.room_id, favourite = excluded.favourite, position = excluded.position`,
      ),
    };
    this.discoveryOwners = new Map(this.loadDiscovery().map((r) => [r.topic, r.deviceId]));
  }

  /**
   * Every stored device, with the states that were still gathered when the hub last stopped
   * read back from the journal; nobody is connected to a freshly started broker, so all start offline.
   */
  loadDevices(): Device[] {
    const devices = this.statements.all.all().map((row): Device => ({
      id: row.id,
      name: row.name,
      kind: row.kind as DeviceKind,
      manufacturer: row.manufacturer,
      model: row.model,
      capabilities: JSON.parse(row.capabilities) as Capability[],
      entities: JSON.parse(row.entities) as DeviceEntity[],
      source: JSON.parse(row.source) as DeviceSource,
      state: JSON.parse(row.state) as DeviceState,
      online: false,
      lastSeen: row.last_seen,
      announcedName: row.name,
      room: null,
      favourite: false,
      position: null,
    }));
    return replayStates(this.db, devices);
  }

  /**
   * `lastSeq` gives the journal's newest sequence number; the journal keeps every event from
   * `firstUnwrittenStateSeq` on, so that a crash loses no state.
   */
  numberStatesBy(lastSeq: () => number): void {
    this.lastSeq = lastSeq;
  }

  get firstUnwrittenStateSeq(): number | null {
    return this.firstUnwritten()?.after ?? null;
  }

  /** Queues the device's description, and its state (which may have lost properties it no longer has). */
  saveDevice(device: Device): void {
    const row = {
      id: device.id,
      name: device.announcedName,
      kind: device.kind,
      manufacturer: device.manufacturer,
      model: device.model,
      capabilities: JSON.stringify(device.capabilities),
      entities: JSON.stringify(device.entities),
      source: JSON.stringify(device.source),
      now: Date.now(),
    };
    this.batch.run(UPSERT_DEVICE, row);
    this.saveState(device);
  }

  /** Gathers the device's state; only its latest state is written, within seconds. */
  saveState(device: Device): void {
    if (this.closed) return;
    const gathered = this.unwrittenStates.get(device.id);
    if (gathered) gathered.device = device;
    else this.unwrittenStates.set(device.id, { device, after: this.lastSeq(), since: performance.now() });
    this.stateWrites.wake();
  }

  /** States reported from here on are written after the removal, so a device removed and announced again at once keeps its new state. */
  removeDevice(id: string): void {
    this.unwrittenStates.delete(id);
    for (const table of ['devices', 'device_state']) this.batch.run(`DELETE FROM ${table} WHERE id = ?`, id);
    this.batch.run('DELETE FROM discovery WHERE device_id = ?', id);
    this.batch.run('DELETE FROM device_settings WHERE device_id = ?', id);
    this.stateWrites.reorder();
    for (const [topic, owner] of this.discoveryOwners) if (owner === id) this.discoveryOwners.delete(topic);
  }

  /** Writes every gathered state now; resolves once committed. */
  flushStates(): Promise<void> {
    return this.stateWrites.flush();
  }

  loadSettings(): Map<string, DeviceSettings> {
    return new Map(
      this.statements.settingsAll.all().map((r) => [r.device_id, { name: r.name, room: r.room_id, favourite: r.favourite === 1, position: r.position }]),
    );
  }

  saveSettings(deviceId: string, s: DeviceSettings): void {
    this.statements.settingsPut.run(deviceId, s.name, s.room, s.favourite ? 1 : 0, s.position);
  }

  loadDiscovery(): DiscoveryRecord[] {
    return this.statements.discoveryAll.all().map((r) => ({ topic: r.topic, deviceId: r.device_id, payload: r.payload, publisher: r.publisher }));
  }

  saveDiscovery(record: DiscoveryRecord): void {
    this.discoveryOwners.set(record.topic, record.deviceId);
    this.batch.run(PUT_DISCOVERY, record.topic, record.deviceId, record.payload, record.publisher, Date.now());
  }

  discoveryTopicsOf(deviceId: string): string[] {
    return [...this.discoveryOwners].filter(([, owner]) => owner === deviceId).map(([topic]) => topic);
  }

  removeDiscovery(topic: string): void {
    if (!this.discoveryOwners.delete(topic)) return;
    this.batch.run('DELETE FROM discovery WHERE topic = ?', topic);
  }

  /** The latest state of each device that first changed at or before `cutoff`, and from where a crash would replay. */
  private takeStates(cutoff: number, maxRows: number): WriteOp[] {
    const now = Date.now();
    const params: unknown[] = [];
    for (const [id, { device, since }] of this.unwrittenStates) {
      if (since > cutoff || params.length >= maxRows * 4) break;
      params.push(id, JSON.stringify(device.state), device.lastSeen, now);
      this.unwrittenStates.delete(id);
    }
    const progress = replayProgress('state', this.firstUnwritten()?.after ?? this.lastSeq());
    return params.length > 0 ? [{ sql: SAVE_STATE, width: 4, params }, progress] : [progress];
  }

  private firstUnwritten(): { device: Device; after: number; since: number } | undefined {
    for (const gathered of this.unwrittenStates.values()) return gathered;
    return undefined;
  }

  async close(): Promise<void> {
    // Queued ahead of the close, which waits for the last commit.
    void this.flushStates();
    this.closed = true;
    await this.batch.close();
    this.db.close();
  }
}

/**
 * After a crash: the states of journalled events that were still gathered, applied in order
 * over what was on disk. Applying a state again is harmless, so reading from a little before
 * is as good as exactly.
 */
function replayStates(db: Db, devices: Device[]): Device[] {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const update = (id: string, state: DeviceState, lastSeen: number | null) => {
    const found = byId.get(id);
    if (found) byId.set(id, { ...found, state, lastSeen });
  };
  for (const event of eventsToReplay(db, 'state')) {
    if (event.type === 'state') update(event.id, event.state, event.lastSeen);
    else if (event.type === 'device') update(event.device.id, event.device.state, event.device.lastSeen);
  }
  return devices.map((d) => byId.get(d.id)!);
}

import type { Client } from 'aedes';
import type { AedesPacket } from 'aedes-packet';
import MemoryPersistence from 'aedes-persistence/asyncPersistence.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Readable } from 'node:stream';
import type { RetainedQuota } from './retained-quota.js';
import { SessionRows, type SessionChanges, type StoredPacket } from './session-rows.js';

export interface SessionStoreOptions {
  rows: SessionRows;
  quota: RetainedQuota;
  /** Messages kept for one client whose session is not connected; past it new ones are dropped. */
  maxQueued: number;
  /** How often gathered changes are written. */
  flushMs: number;
  log: FastifyBaseLogger;
}

type ClientRef = Pick<Client, 'id'> & { clean?: boolean };
type Sub = { clientId: string };

/** A queued packet's identity, its delivery state included: a new packet id or a PUBREL is a new row. */
const keyOf = (p: StoredPacket): string => `${p.cmd}/${p.brokerId ?? ''}/${p.brokerCounter ?? ''}/${p.messageId ?? ''}`;

async function collect<T>(stream: Readable): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item as T);
  return items;
}

/**
 * aedes' in-memory persistence, kept on the hub's SQLite: retained messages, persistent
 * sessions and their queued QoS 1/2 messages outlive a restart, as with Mosquitto. Memory
 * stays the working set, so the broker never waits on the disk; what changed is gathered
 * and written every `flushMs` in one transaction (and at close), so a message queued and
 * delivered between two flushes is never written at all. An SD card sees a few small
 * commits a minute, not one per message. A kill -9 loses at most the last `flushMs` of
 * changes; Mosquitto, by default, writes only every 30 minutes and at exit.
 */
export class SessionStore extends MemoryPersistence {
  private readonly retainedChanges = new Map<string, StoredPacket | null>();
  private readonly dirtyClients = new Set<string>();
  /** What the database holds per client: its subscriptions and its queued rows. */
  private readonly written = new Map<string, { subscriptions: string; keys: Map<string, number> }>();
  private readonly owners = new Map<string, string | null>();
  private readonly queueLengths = new Map<string, number>();
  private readonly dropping = new Set<string>();
  private loading = false;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private aedes: { clients?: Record<string, unknown> } | null = null;
  /** Messages not queued because a session's queue was full, for `GET /api/health`. */
  droppedMessages = 0;

  constructor(private readonly options: SessionStoreOptions) {
    super();
  }

  override async setup(broker: never): Promise<void> {
    await super.setup(broker);
    this.aedes = broker;
    await this.load();
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  /** The credential that made the stored session of `clientId`: undefined for none, null for an anonymous one. */
  sessionOwner(clientId: string): string | null | undefined {
    return this.written.has(clientId) || this.dirtyClients.has(clientId) ? (this.owners.get(clientId) ?? null) : undefined;
  }

  /** `clientId`'s session is now `username`'s (it connected without a clean session). */
  claimSession(clientId: string, username: string | null): void {
    this.owners.set(clientId, username);
    this.dirtyClients.add(clientId);
  }

  override async storeRetained(stored: AedesPacket): Promise<void> {
    await super.storeRetained(stored);
    const packet = stored as StoredPacket;
    this.options.quota.stored(packet.topic, packet.payload.length);
    if (!this.loading) this.retainedChanges.set(packet.topic, packet.payload.length === 0 ? null : { ...packet });
  }

  override async addSubscriptions(client: ClientRef, subs: never[]): Promise<void> {
    await super.addSubscriptions(client as never, subs);
    this.touch(client.id);
  }

  override async removeSubscriptions(client: ClientRef, subs: string[]): Promise<void> {
    await super.removeSubscriptions(client as never, subs as never);
    this.touch(client.id);
  }

  override async cleanSubscriptions(client: ClientRef): Promise<void> {
    await super.cleanSubscriptions(client as never);
    if (this.written.has(client.id)) this.touch(client.id);
  }

  override async outgoingEnqueue(sub: Sub, packet: AedesPacket): Promise<void> {
    if (this.admit(sub.clientId)) await super.outgoingEnqueue(sub, packet);
  }

  override async outgoingEnqueueCombi(subs: Sub[], packet: AedesPacket): Promise<void> {
    await super.outgoingEnqueueCombi(subs.filter((sub) => this.admit(sub.clientId)), packet);
  }

  override async outgoingUpdate(client: Client, packet: AedesPacket): Promise<void> {
    await super.outgoingUpdate(client, packet);
    this.touch(client.id);
  }

  override async outgoingClearMessageId(client: Client, packet: AedesPacket): Promise<AedesPacket> {
    const cleared = await super.outgoingClearMessageId(client, packet);
    if (cleared) {
      this.queueLengths.set(client.id, Math.max(0, (this.queueLengths.get(client.id) ?? 1) - 1));
      this.touch(client.id);
    }
    return cleared;
  }

  /** Writes what changed since the last flush; on a storage error it stays gathered for the next. */
  flush(): Promise<void> {
    // One flush at a time: each diffs against what the one before it wrote.
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.retainedChanges.size === 0 && this.dirtyClients.size === 0) return;
    const clients = [...this.dirtyClients];
    this.dirtyClients.clear();
    const changes: SessionChanges = { retained: new Map(), sessions: new Map(), queuedPut: [], queuedDelete: [] };
    for (const [topic, packet] of this.retainedChanges) changes.retained.set(topic, packet && { topic, owner: this.options.quota.ownerOf(topic), packet });
    const retained = new Map(this.retainedChanges);
    this.retainedChanges.clear();
    const states = await Promise.all(clients.map((clientId) => this.stateOf(clientId)));
    for (const state of states) this.diff(state, changes);
    try {
      this.options.rows.write(changes);
      for (const state of states) this.remember(state);
    } catch (err) {
      this.options.log.error({ err }, 'broker sessions and retained messages could not be written; trying again at the next flush');
      for (const [topic, packet] of retained) if (!this.retainedChanges.has(topic)) this.retainedChanges.set(topic, packet);
      for (const clientId of clients) this.dirtyClients.add(clientId);
    }
  }

  override async destroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await super.destroy();
  }

  private touch(clientId: string): void {
    if (!this.loading) this.dirtyClients.add(clientId);
  }

  /**
   * Whether one more message may be queued for `clientId`. Like Mosquitto's
   * max_queued_messages, a full queue drops the new message, not the old ones; a connected
   * client is not limited, its messages are in flight, not waiting.
   */
  private admit(clientId: string): boolean {
    const length = this.queueLengths.get(clientId) ?? 0;
    if (this.loading || length < this.options.maxQueued || this.aedes?.clients?.[clientId]) {
      this.queueLengths.set(clientId, length + 1);
      this.dropping.delete(clientId);
      this.touch(clientId);
      return true;
    }
    this.droppedMessages++;
    if (!this.dropping.has(clientId)) {
      this.dropping.add(clientId);
      this.options.log.warn({ clientId, maxQueued: this.options.maxQueued }, 'queue of an offline MQTT session is full: new messages for it are dropped');
    }
    return false;
  }

  private async stateOf(clientId: string) {
    const ref = { id: clientId };
    const subscriptions = await this.subscriptionsByClient(ref as never);
    const queued = await collect<StoredPacket>(this.outgoingStream(ref as never));
    this.queueLengths.set(clientId, queued.length);
    return { clientId, subscriptions: JSON.stringify(subscriptions), queued };
  }

  private diff(state: { clientId: string; subscriptions: string; queued: StoredPacket[] }, changes: SessionChanges): void {
    const { clientId } = state;
    const before = this.written.get(clientId) ?? { subscriptions: '[]', keys: new Map<string, number>() };
    const empty = state.subscriptions === '[]' && state.queued.length === 0;
    if (empty) {
      if (this.written.has(clientId)) changes.sessions.set(clientId, null);
    } else if (state.subscriptions !== before.subscriptions || !this.written.has(clientId)) {
      changes.sessions.set(clientId, { clientId, owner: this.owners.get(clientId) ?? null, subscriptions: state.subscriptions });
    }
    const now = new Set(state.queued.map(keyOf));
    for (const key of before.keys.keys()) if (!now.has(key)) changes.queuedDelete.push({ clientId, key });
    for (const packet of state.queued) {
      const key = keyOf(packet);
      if (!before.keys.has(key)) changes.queuedPut.push({ clientId, key, seq: ++this.seq, packet });
    }
  }

  private remember(state: { clientId: string; subscriptions: string; queued: StoredPacket[] }): void {
    if (state.subscriptions === '[]' && state.queued.length === 0) {
      this.written.delete(state.clientId);
      return;
    }
    const keys = new Map(state.queued.map((packet) => [keyOf(packet), 0]));
    this.written.set(state.clientId, { subscriptions: state.subscriptions, keys });
  }

  private async load(): Promise<void> {
    const { rows, quota } = this.options;
    this.loading = true;
    try {
      for (const { topic, owner, packet } of rows.retained()) {
        await super.storeRetained(packet as never);
        quota.stored(topic, packet.payload.length, owner);
      }
      for (const session of rows.sessions()) {
        this.owners.set(session.clientId, session.owner);
        await super.addSubscriptions({ id: session.clientId } as never, JSON.parse(session.subscriptions) as never);
        this.written.set(session.clientId, { subscriptions: session.subscriptions, keys: new Map() });
      }
      await this.loadQueued();
    } finally {
      this.loading = false;
    }
  }

  /** Queued messages back in order, with the packet ids they were sent with (a PUBREL needs its own). */
  private async loadQueued(): Promise<void> {
    const byClient = new Map<string, { key: string; packet: StoredPacket }[]>();
    for (const row of this.options.rows.queued()) {
      this.seq = Math.max(this.seq, row.seq);
      byClient.set(row.clientId, [...(byClient.get(row.clientId) ?? []), row]);
    }
    for (const [clientId, rows] of byClient) {
      for (const { packet } of rows) await super.outgoingEnqueue({ clientId } as never, packet as never);
      const queued = await collect<StoredPacket>(this.outgoingStream({ id: clientId } as never));
      queued.forEach((packet, i) => (packet.messageId = rows[i]!.packet.messageId));
      this.queueLengths.set(clientId, queued.length);
      const written = this.written.get(clientId) ?? { subscriptions: '[]', keys: new Map<string, number>() };
      for (const { key } of rows) written.keys.set(key, 0);
      this.written.set(clientId, written);
    }
  }
}

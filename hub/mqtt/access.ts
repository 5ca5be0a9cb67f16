import type { AedesOptions, AuthenticateError, Client, ConnectPacket, PublishPacket, Subscription } from 'aedes';
import type { Packet } from 'mqtt-packet';
import type { Actor, MqttAudit } from './audit.js';
import { ownerOfClientId } from './client-ids.js';
import { connectProblem } from './connect-rules.js';
import type { DeviceCredentials } from './credentials.js';
import { malformedPacket } from './packet-rules.js';
import type { Verdict } from './packet-screen.js';
import type { RetainedQuota } from './retained-quota.js';
import { coveredByAny, topicProblem, topicRefusal } from './topic-rules.js';

export interface AccessOptions {
  credentials: DeviceCredentials;
  /** Clients without a user name are let in, with access to everything but `$` topics. */
  anonymous: boolean;
  discoveryPrefix: string;
  audit: MqttAudit;
  quota: RetainedQuota;
  /** Who made the stored session of a client id (undefined: none), and the claim of a new one. */
  sessions: { sessionOwner(clientId: string): string | null | undefined; claimSession(clientId: string, username: string | null): void };
}

/** What one connected client may do; null patterns mean anything (anonymous lab mode). */
interface Grant {
  username: string | null;
  publish: readonly string[] | null;
  subscribe: readonly string[] | null;
}

/** Between preConnect and authenticate: what the CONNECT said that authenticate needs. */
interface Pending {
  refusal: { returnCode: 2; reason: string } | null;
  username: string | null;
  will: ConnectPacket['will'];
  /** False when the client left its id to the broker [MQTT-3.1.3-6]. */
  chosenId: boolean;
}

type Hooks = Required<Pick<AedesOptions, 'preConnect' | 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>>;

const NOT_AUTHORIZED = 5;
const BAD_CREDENTIALS = 4;

/**
 * The broker's access rules as aedes hooks: the CONNECT checked where aedes does not,
 * every client authenticated against its device credential (unless anonymous access is
 * on), and each PUBLISH and SUBSCRIBE kept within the credential's topics.
 */
export class MqttAccess {
  private readonly pending = new WeakMap<Client, Pending>();
  private readonly grants = new WeakMap<Client, Grant>();
  private readonly byUsername = new Map<string, Set<Client>>();

  constructor(private readonly options: AccessOptions) {}

  readonly hooks: Hooks = {
    preConnect: (client, packet, done) => this.preConnect(client, packet, done),
    authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
    // A PUBLISH from the wire was judged already (see `judge`); only wills come here.
    authorizePublish: (client, packet, done) => done(client && packet.cmd !== 'publish' ? this.willRefusal(client, packet) : null),
    authorizeSubscribe: (client, subscription, done) => this.authorizeSubscribe(client, subscription, done),
  };

  /** Closes every connection made with `username` (its credential was just revoked). */
  disconnect(username: string): void {
    for (const client of this.byUsername.get(username) ?? []) client.close();
  }

  private preConnect(client: Client, packet: ConnectPacket, done: (error: Error | null, ok: boolean) => void): void {
    const problem = connectProblem(packet);
    const username = packet.username ?? null;
    if (problem?.action === 'close') {
      this.options.audit.refuse('connection', { clientId: packet.clientId || null, username, address: addressOf(client) }, problem.reason);
      // An error from preConnect closes the connection without a CONNACK.
      return done(new Error(problem.reason), false);
    }
    if (problem?.returnCode === 1) {
      this.options.audit.refuse('connection', { clientId: packet.clientId || null, username, address: addressOf(client) }, problem.reason, { returnCode: 1 });
      // aedes answers CONNACK 1 itself for a level it does not speak, and only authenticate's
      // codes 2-5 can be given otherwise: mark the level as one it does not speak.
      packet.protocolVersion = 0 as ConnectPacket['protocolVersion'];
      return done(null, true);
    }
    this.pending.set(client, { refusal: problem as Pending['refusal'], username, will: packet.will, chosenId: Boolean(packet.clientId) });
    done(null, true);
  }

  private authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: (error: AuthenticateError | null, ok: boolean | null) => void): void {
    const pending = this.pending.get(client);
    this.pending.delete(client);
    const refuse = (returnCode: number, reason: string) => {
      this.options.audit.refuse('connection', this.actor(client, username ?? null), reason, { returnCode });
      done(Object.assign(new Error(reason), { returnCode }) as AuthenticateError, false);
    };
    if (pending?.refusal) return refuse(pending.refusal.returnCode, pending.refusal.reason);
    const grant = this.grantFor(username, password);
    if (typeof grant === 'string') return refuse(username === undefined ? NOT_AUTHORIZED : BAD_CREDENTIALS, grant);
    // A will is published later in the client's name, so it must fit its topics now.
    if (pending?.will && grant.publish && !coveredByAny(grant.publish, pending.will.topic)) {
      return refuse(NOT_AUTHORIZED, `will topic ${pending.will.topic} is outside the credential's topics`);
    }
    const identity = pending?.chosenId === false ? null : this.identityRefusal(client, grant.username);
    if (identity) return refuse(NOT_AUTHORIZED, identity);
    // A clean session discards a stored one [MQTT-3.1.2-6]: whatever comes next under this id is its.
    if (!client.clean || this.options.sessions.sessionOwner(client.id) !== undefined) this.options.sessions.claimSession(client.id, grant.username);
    this.remember(client, grant);
    done(null, true);
  }

  /**
   * A credential owns its client ids (see client-ids.ts), so no device can take another's
   * id, kicking it off, or resume its session, receiving what was queued for it.
   */
  private identityRefusal(client: Client, username: string | null): string | null {
    const owner = ownerOfClientId(client.id, (name) => this.options.credentials.exists(name));
    if (owner !== username) {
      return owner === null
        ? `client id must be the user name or start with "${username}-"`
        : `client id belongs to the credential ${owner}`;
    }
    const sessionOwner = client.clean ? undefined : this.options.sessions.sessionOwner(client.id);
    if (sessionOwner !== undefined && sessionOwner !== username) return 'the stored session of this client id was made by another credential; connect with a clean session to discard it';
    return null;
  }

  /** The grant for these credentials, or why there is none. */
  private grantFor(username: string | undefined, password: Buffer | undefined): Grant | string {
    if (username === undefined) {
      return this.options.anonymous ? { username: null, publish: null, subscribe: null } : 'no user name, and anonymous access is off';
    }
    const credential = this.options.credentials.verify(username, password ?? Buffer.alloc(0));
    if (!credential) return 'bad user name or password';
    // The hub's birth message tells devices to announce again, so every device may hear it.
    return { username, publish: credential.topics, subscribe: [...credential.topics, `${this.options.discoveryPrefix}/status`] };
  }

  private remember(client: Client, grant: Grant): void {
    this.grants.set(client, grant);
    if (grant.username === null) return;
    const { username } = grant;
    const clients = this.byUsername.get(username) ?? new Set();
    clients.add(client);
    this.byUsername.set(username, clients);
    client.conn.once('close', () => {
      clients.delete(client);
      if (clients.size === 0 && this.byUsername.get(username) === clients) this.byUsername.delete(username);
    });
  }

  private willRefusal(client: Client, packet: PublishPacket): Error | null {
    const reason = publishProblem(packet, this.grants.get(client))?.reason;
    if (!reason) return null;
    this.options.audit.refuse('publish', this.actor(client), reason, { topic: packet.topic.slice(0, 200), will: true });
    return new Error(reason);
  }

  /** What becomes of a packet `client` sent (see packet-screen.ts). */
  judge(client: Client, packet: Packet): Verdict {
    const malformed = malformedPacket(packet);
    if (malformed) {
      this.options.audit.refuse(packet.cmd === 'subscribe' || packet.cmd === 'unsubscribe' ? 'subscription' : 'connection', this.actor(client), malformed);
      return { close: malformed };
    }
    if (packet.cmd !== 'publish') return null;
    const grant = this.grants.get(client);
    const problem = publishProblem(packet as PublishPacket, grant) ?? this.retainedProblem(packet as PublishPacket, grant);
    if (!problem) return null;
    this.options.audit.refuse('publish', this.actor(client), problem.reason, { topic: packet.topic.slice(0, 200), qos: packet.qos });
    return problem.close ? { close: problem.reason } : { drop: problem.reason };
  }

  private retainedProblem(packet: PublishPacket, grant: Grant | undefined): PublishProblem | null {
    if (!packet.retain) return null;
    const owner = grant?.username ?? null;
    const reason = this.options.quota.refusal(owner, packet.topic, packet.payload.length);
    if (reason) return { reason: `retained message refused: ${reason}`, close: false };
    this.options.quota.claim(owner, packet.topic);
    return null;
  }

  private authorizeSubscribe(client: Client, subscription: Subscription, done: (error: Error | null, subscription?: Subscription | null) => void): void {
    const { topic } = subscription;
    const malformed = topicProblem(topic);
    const denied = malformed ? null : subscribeDenial(topic, this.grants.get(client));
    if (!malformed && !denied) return done(null, subscription);
    this.options.audit.refuse('subscription', this.actor(client), (malformed ?? denied)!, { topic: topic.slice(0, 200) });
    // [MQTT-1.5.3-2] a malformed string closes the connection; a filter outside the
    // client's topics gets the SUBACK failure code 0x80 [MQTT-3.9.3], like Mosquitto.
    if (malformed) done(new Error(`subscription filter ${malformed}`));
    else done(null, null);
  }

  /** Who `client` is, for audit lines. */
  actor(client: Client, username: string | null = this.grants.get(client)?.username ?? null): Actor {
    return { clientId: client.id, username, address: addressOf(client) };
  }
}

interface PublishProblem {
  reason: string;
  /** The spec says to close the connection; otherwise the PUBLISH is acknowledged and dropped, as Mosquitto does. */
  close: boolean;
}

function publishProblem(packet: PublishPacket, grant: Grant | undefined): PublishProblem | null {
  const close = (reason: string) => ({ reason, close: true });
  const drop = (reason: string) => ({ reason, close: false });
  // A will has no packet id; only a PUBLISH from the wire is checked for one.
  // [MQTT-2.3.1-1] a QoS 1 or 2 PUBLISH carries a non-zero packet identifier.
  if (packet.cmd === 'publish' && packet.qos > 0 && packet.messageId === 0) return close('QoS > 0 with packet id 0 [MQTT-2.3.1-1]');
  // [MQTT-3.3.1-2] a QoS 0 message is never a redelivery.
  if (packet.qos === 0 && packet.dup) return close('DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]');
  // [MQTT-4.7.3-1] a topic is at least one character; [MQTT-3.3.2-2] it has no wildcards.
  if (packet.topic === '') return close('empty topic [MQTT-4.7.3-1]');
  if (/[+#]/.test(packet.topic)) return close('wildcard in a topic name [MQTT-3.3.2-2]');
  const refusal = topicRefusal(packet.topic);
  if (refusal) return { reason: `topic ${refusal.reason}`, close: refusal.malformed };
  // [MQTT-4.7.2-1] `$` topics are the broker's; aedes only guards `$SYS/`.
  if (packet.topic.startsWith('$')) return drop('topics starting with $ are reserved for the broker');
  if (!grant) return drop('not authenticated');
  if (grant.publish && !coveredByAny(grant.publish, packet.topic)) return drop("topic is outside the credential's topics");
  return null;
}

function subscribeDenial(filter: string, grant: Grant | undefined): string | null {
  // $SYS lists every client id and subscription: nobody outside the hub reads it.
  if (filter.startsWith('$')) return 'topics starting with $ are reserved for the broker';
  if (!grant) return 'not authenticated';
  if (grant.subscribe && !coveredByAny(grant.subscribe, filter)) return "filter reaches outside the credential's topics";
  return null;
}

function addressOf(client: Client): string {
  const conn = client.conn as { remoteAddress?: string };
  return conn.remoteAddress ?? 'unknown';
}

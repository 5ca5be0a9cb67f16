import type { AedesOptions, AuthenticateError, Client, ConnectPacket, PublishPacket, Subscription } from 'aedes';
import type { Actor, MqttAudit } from './audit.js';
import { connectProblem } from './connect-rules.js';
import type { DeviceCredentials } from './credentials.js';
import { coveredByAny, topicProblem } from './topic-rules.js';

export interface AccessOptions {
  credentials: DeviceCredentials;
  /** Clients without a user name are let in, with access to everything but `$` topics. */
  anonymous: boolean;
  discoveryPrefix: string;
  audit: MqttAudit;
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
    authorizePublish: (client, packet, done) => done(client ? this.publishRefusal(client, packet) : null),
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
    this.pending.set(client, { refusal: problem as Pending['refusal'], username, will: packet.will });
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
    this.remember(client, grant);
    done(null, true);
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

  private publishRefusal(client: Client, packet: PublishPacket): Error | null {
    const reason = publishProblem(packet, this.grants.get(client));
    if (!reason) return null;
    this.options.audit.refuse('publish', this.actor(client), reason, { topic: packet.topic.slice(0, 200), qos: packet.qos });
    // aedes closes the connection: MQTT 3.1.1 has no negative PUBACK to send instead.
    return new Error(reason);
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

function publishProblem(packet: PublishPacket, grant: Grant | undefined): string | null {
  // A will has no packet id; only a PUBLISH from the wire is checked for one.
  // [MQTT-2.3.1-1] a QoS 1 or 2 PUBLISH carries a non-zero packet identifier.
  if (packet.cmd === 'publish' && packet.qos > 0 && packet.messageId === 0) return 'QoS > 0 with packet id 0 [MQTT-2.3.1-1]';
  const problem = topicProblem(packet.topic);
  if (problem) return `topic ${problem}`;
  // [MQTT-4.7.2-1] `$` topics are the broker's; aedes only guards `$SYS/`.
  if (packet.topic.startsWith('$')) return 'topics starting with $ are reserved for the broker';
  if (!grant) return 'not authenticated';
  if (grant.publish && !coveredByAny(grant.publish, packet.topic)) return "topic is outside the credential's topics";
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

import { Aedes, type AedesPublishPacket, type Client } from 'aedes';
import fp from 'fastify-plugin';
import type { IncomingMessage } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import type {} from '@fastify/websocket';
import { MqttAccess } from '../mqtt/access.js';
import { MqttAudit, type MqttAuditCounts } from '../mqtt/audit.js';
import { ConnectionLimits, type ConnectionLimitOptions } from '../mqtt/connection-limits.js';
import { guardPackets, type PacketProblem } from '../mqtt/packet-guard.js';
import { screenPackets } from '../mqtt/packet-screen.js';
import { RetainedQuota, type RetainedLimits } from '../mqtt/retained-quota.js';
import { SessionRows } from '../mqtt/session-rows.js';
import { SessionStore } from '../mqtt/session-store.js';
import type {} from './credentials.js';

export interface MqttMessage {
  topic: string;
  payload: Buffer;
  /** False for the hub's own messages (commands, birth) and ones it hands the bridge again. */
  fromDevice: boolean;
  /**
   * The MQTT user name of the client that published it, to whom what it announces is bound;
   * null or absent when there is none to bind: the hub itself, an anonymous client (lab mode),
   * or any client of an external broker, which does not say.
   */
  publisher?: string | null;
}

/** The broker the hub is a client of, when it runs none itself (see external-broker.ts). */
export interface ExternalBroker {
  /** Without credentials. */
  url: string;
  connected: boolean;
}

export interface PublishOptions {
  qos?: 0 | 1 | 2;
  retain?: boolean;
}

/** The hub's own privileged access to the broker, in process. */
export interface MqttBus {
  publish(topic: string, payload: string, options?: PublishOptions): Promise<void>;
  /** Every application message (not `$SYS`), in arrival order. Returns the unsubscribe function. */
  onMessage(listener: (message: MqttMessage) => void): () => void;
  /**
   * Called each time the hub's connection to a broker it is a client of comes back, with its
   * subscription in place; the embedded broker has no such connection. Returns the unsubscribe function.
   */
  onReconnected?(listener: () => void): () => void;
  /** TCP address once the hub is ready, null before (or when TCP is disabled). */
  address(): AddressInfo | null;
  /** MQTT over TLS address, when the hub has a certificate. */
  tlsAddress(): AddressInfo | null;
  connectedClients(): number;
  /** Refusals so far, for the health endpoint. */
  auditCounts(): MqttAuditCounts;
  /** Null for the embedded broker. */
  externalBroker(): ExternalBroker | null;
  /** Messages dropped because an offline session's queue was full; only a broker the hub runs counts them. */
  droppedQueuedMessages?(): number;
  /**
   * Holds a device's QoS 1 (and 2) acknowledgement until `until` resolves, given once its
   * message has been heard; a broker that cannot (an external one acknowledges by itself) has none.
   */
  holdAcknowledgements?(until: () => Promise<void>): void;
  /** False when the broker's own users and ACLs decide who connects, not the hub's device credentials. */
  managesCredentials(): boolean;
  /** Resolves once the broker applies every credential made or revoked so far. */
  credentialsApplied(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mqtt: MqttBus;
  }
}

export interface BrokerOptions {
  /** TCP port for MQTT; 0 picks a free one; null disables TCP (WebSocket still works). */
  port: number | null;
  host: string;
  /** Let clients in without a user name (lab mode). */
  anonymous: boolean;
  maxPacketBytes: number;
  limits: ConnectionLimitOptions;
  discoveryPrefix: string;
  /**
   * MQTTS on its own port. With it, plain MQTT listens on loopback only: devices on the
   * network use TLS, local bridges and tools may still use plain TCP.
   */
  tls: { cert: Buffer; key: Buffer; port: number } | null;
  /** Messages kept for one offline persistent session. */
  maxQueued: number;
  retained: RetainedLimits;
  /**
   * How often sessions and retained messages are written: as often as device reports are
   * committed (--report-commit-seconds), since a crash costs both the same span.
   */
  flushMs: number;
}

/** Changed sessions and retained messages are written at most this often (an SD card's budget). */
const MIN_SESSION_FLUSH_MS = 5_000;

/**
 * Embedded aedes broker: MQTT over TCP on its own port and MQTT over WebSocket at
 * /mqtt on the HTTP port. Retained messages and last wills are aedes' own behaviour, kept
 * across restarts by mqtt/session-store.ts; who may connect and what each client may do
 * are in mqtt/access.ts, which judges every packet (mqtt/packet-screen.ts) before aedes.
 */
export const brokerPlugin = fp<BrokerOptions>(
  async (app, options) => {
    const log = app.log.child({ plugin: 'broker' });
    const audit = new MqttAudit(log);
    const quota = new RetainedQuota(options.retained);
    const sessions = new SessionStore({ rows: new SessionRows(app.store.db), quota, maxQueued: options.maxQueued, flushMs: Math.max(options.flushMs, MIN_SESSION_FLUSH_MS), log });
    const access = new MqttAccess({ credentials: app.deviceCredentials, anonymous: options.anonymous, discoveryPrefix: options.discoveryPrefix, audit, quota, sessions });
    // A device's messages are heard in the publish hook, which aedes calls before it sends a
    // QoS 1 PUBACK (it sends it before it publishes): so the PUBACK can wait until what the
    // message brought is committed, and "acknowledged" means "on disk". Messages of every QoS
    // are heard there, so a device's messages keep their order whatever their QoS.
    const heard = new WeakSet<object>();
    let acknowledged: () => Promise<void> = () => Promise.resolve();
    const authorizePublish: typeof access.hooks.authorizePublish = (client, packet, done) =>
      access.hooks.authorizePublish(client, packet, (error) => {
        if (error || !client || packet.topic.startsWith('$')) return done(error);
        heard.add(packet);
        hear({ topic: packet.topic, payload: packet.payload as Buffer, fromDevice: true, publisher: access.actor(client).username });
        if (packet.qos === 0) return done(null);
        void acknowledged().then(() => done(null));
      });
    const broker = await Aedes.createBroker({ ...access.hooks, authorizePublish, persistence: sessions });
    const limits = new ConnectionLimits(options.limits);
    if (options.anonymous) log.warn('MQTT anonymous access is on (--mqtt-anonymous): any client may use any topic but $ ones');
    const stopRevoking = app.deviceCredentials.onRevoke((username) => access.disconnect(username));
    const listeners = new Set<(message: MqttMessage) => void>();
    let server: Server | null = null;
    let tlsServer: Server | null = null;

    const hear = (message: MqttMessage) => {
      for (const listener of listeners) listener(message);
    };
    // The hub's own messages and last wills, which pass no publish hook.
    broker.on('publish', (packet: AedesPublishPacket, client: Client | null) => {
      if (packet.topic.startsWith('$') || heard.has(packet)) return;
      hear({ topic: packet.topic, payload: packet.payload as Buffer, fromDevice: client !== null, publisher: client ? access.actor(client).username : null });
    });
    broker.on('clientError', (client, error) => log.debug({ client: client.id, err: error.message }, 'mqtt client error'));
    broker.on('connectionError', (client, error) => log.debug({ client: client?.id, err: error.message }, 'mqtt connection error'));

    app.decorate('mqtt', {
      publish: (topic, payload, { qos = 0, retain = false } = {}) =>
        new Promise<void>((resolve, reject) =>
          broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos, retain, dup: false }, (err) =>
            err ? reject(err) : resolve(),
          ),
        ),
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      address: () => (server?.address() as AddressInfo | null) ?? null,
      tlsAddress: () => (tlsServer?.address() as AddressInfo | null) ?? null,
      connectedClients: () => broker.connectedClients,
      auditCounts: () => ({ ...audit.counts }),
      externalBroker: () => null,
      droppedQueuedMessages: () => sessions.droppedMessages,
      holdAcknowledgements: (until) => {
        acknowledged = until;
      },
      managesCredentials: () => true,
      // Credentials are read from the database at every connection.
      credentialsApplied: () => Promise.resolve(),
    } satisfies MqttBus);

    /** Every connection, TCP or WebSocket, passes the per-address limits and the packet size guard. */
    const accept = (stream: Duplex, address: string, request?: IncomingMessage) => {
      const refusal = limits.admit(address);
      if (refusal) {
        audit.refuse('connection', { clientId: null, username: null, address }, refusal);
        return stream.destroy();
      }
      stream.once('close', () => limits.release(address));
      const client = broker.handle(stream, request);
      screenPackets(
        client,
        (packet) => access.judge(client, packet),
        (reason) => audit.refuse('connection', access.actor(client), reason, { returnCode: 1 }),
      );
      guardPackets(stream, options.maxPacketBytes, (problem: PacketProblem) => {
        const actor = access.actor(client);
        if (problem.reason === 'too-large') audit.refuse('oversized', actor, `packet of ${problem.bytes} bytes is over the ${options.maxPacketBytes} byte limit`);
        else audit.refuse('connection', actor, 'malformed remaining length [MQTT-2.2.3]');
      });
    };

    app.get('/mqtt', { websocket: true }, (socket, request) => {
      const address = request.socket.remoteAddress ?? 'unknown';
      // Where the access rules and audit lines look for a connection's address, as on a TCP socket.
      const stream = Object.defineProperty(createWebSocketStream(socket), 'remoteAddress', { value: address });
      // mqtt-packet writes a packet in pieces while corked: one WebSocket message per packet, not per piece.
      stream._writev = (chunks, done) => socket.send(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), done);
      accept(stream, address, request.raw);
    });

    const listen = async (listener: Server, port: number, host: string, scheme: string) => {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(port, host, () => resolve());
      });
      const { address, port: actual } = listener.address() as AddressInfo;
      log.info({ address, port: actual }, `MQTT broker listening on ${scheme}://${address.includes(':') ? `[${address}]` : address}:${actual}`);
    };
    const tls = options.tls;
    if (options.port !== null) {
      const port = options.port;
      app.addHook('onReady', async () => {
        // No Nagle: a command written while the device has not yet acknowledged the last one
        // would wait for that acknowledgement, which a device may delay by 40 ms or more.
        server = createServer({ noDelay: true }, (socket) => accept(socket, socket.remoteAddress ?? 'unknown'));
        await listen(server, port, tls ? '127.0.0.1' : options.host, 'mqtt');
      });
    }
    if (tls) {
      app.addHook('onReady', async () => {
        tlsServer = createTlsServer({ cert: tls.cert, key: tls.key, noDelay: true }, (socket) => accept(socket, socket.remoteAddress ?? 'unknown'));
        // A handshake that fails (wrong certificate, plain MQTT on this port) ends that connection only.
        tlsServer.on('tlsClientError', (err, socket) => {
          audit.refuse('connection', { clientId: null, username: null, address: socket.remoteAddress ?? 'unknown' }, `TLS handshake failed: ${err.message}`);
        });
        await listen(tlsServer, tls.port, options.host, 'mqtts');
      });
    }

    app.addHook('onClose', async () => {
      stopRevoking();
      // Closing the broker disconnects every client, so their last wills are not sent: a
      // hub shutting down is not a device failing.
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await sessions.destroy();
      for (const listener of [server, tlsServer]) if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
    });
  },
  { name: 'broker', dependencies: ['@fastify/websocket', 'deviceCredentials'] },
);

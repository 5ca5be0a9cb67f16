import fp from 'fastify-plugin';
import { accessSync, constants, chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type {} from '@fastify/websocket';
import { newSecret } from '../auth/secrets.js';
import { CLIENTS_TOPIC, dynsecFile, HUB_USERNAME } from '../broker/dynsec.js';
import { DynsecSync } from '../broker/dynsec-sync.js';
import { hubClient } from '../broker/hub-client.js';
import { mosquittoConf } from '../broker/mosquitto-conf.js';
import { MosquittoSupervisor } from '../broker/supervisor.js';
import { proxyToBroker } from '../broker/websocket-proxy.js';
import { MosquittoMissing } from '../errors.js';
import { mosquittoHash } from '../mqtt/credentials.js';
import type { MqttBus } from './broker.js';

export interface MosquittoOptions {
  binary: string;
  dataDir: string;
  /** 0 picks a free port (Mosquitto has no port 0 of its own). */
  port: number;
  host: string;
  tls: { certFile: string; keyFile: string; port: number } | null;
  anonymous: boolean;
  maxPacketBytes: number;
  discoveryPrefix: string;
  clientId: string;
}

/** Where Debian and Raspberry Pi OS put the plugin: /usr/lib/<architecture>/. */
const DYNSEC_PLUGIN = 'mosquitto_dynamic_security.so';
/** At start, how long the hub waits for its connection to Mosquitto. */
const FIRST_CONNECT_WAIT_MS = 10_000;

/**
 * A Mosquitto the hub runs and keeps in step: it writes its configuration into the data dir,
 * gives it the hub's device credentials through the dynamic security plugin, restarts it if
 * it dies and stops it with the hub. The hub is one MQTT 5 client of it (broker/hub-client.ts),
 * and carries MQTT over WebSocket at /mqtt to its TCP listener.
 */
export const mosquittoPlugin = fp<MosquittoOptions>(
  async (app, options) => {
    const log = app.log.child({ plugin: 'broker' });
    const dynsecPlugin = findInstallation(options.binary);
    const dir = join(options.dataDir, 'mosquitto');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = { conf: join(dir, 'mosquitto.conf'), dynsec: join(dir, 'dynamic-security.json'), admin: join(dir, 'admin.json') };
    // Plain MQTT on loopback when MQTTS is on, as with the embedded broker.
    const mqttHost = options.tls ? '127.0.0.1' : options.host;
    const mqtt = { host: mqttHost, port: options.port || (await freePort(mqttHost)) };
    const mqtts = options.tls && { host: options.host, port: options.tls.port || (await freePort(options.host)) };
    const local = { host: reachable(mqtt.host), port: mqtt.port };
    const hubPassword = newSecret();

    const supervisor = new MosquittoSupervisor({
      binary: options.binary,
      confFile: files.conf,
      log,
      // The hub's database is the record of credentials: Mosquitto's copy is written anew at every start.
      prepare: () => {
        const credentials = app.deviceCredentials.stored();
        writePrivate(files.dynsec, JSON.stringify(dynsecFile({ hub: mosquittoHash(hubPassword), credentials, discoveryPrefix: options.discoveryPrefix, anonymous: options.anonymous })));
        const conf = mosquittoConf({
          mqtt,
          mqtts: mqtts && options.tls && { ...mqtts, certFile: options.tls.certFile, keyFile: options.tls.keyFile },
          dir,
          dynsecPlugin,
          dynsecFile: files.dynsec,
          anonymous: options.anonymous,
          maxPacketBytes: options.maxPacketBytes,
          user: userInfo().username,
        });
        writePrivate(files.conf, conf);
        const stale = credentials.filter((c) => c.mosquittoHash === null).map((c) => c.username);
        if (stale.length > 0) log.warn({ usernames: stale }, 'these MQTT credentials were made before Mosquitto support and cannot log in to it: revoke and make them again');
      },
    });
    const hub = hubClient(log, { url: `mqtt://${hostInUrl(local.host)}:${local.port}`, clientId: options.clientId, username: HUB_USERNAME, password: hubPassword });
    const dynsec = new DynsecSync(hub.client, app.deviceCredentials, log);
    let clients = 0;
    hub.client.on('message', (topic, payload) => {
      if (topic === CLIENTS_TOPIC) clients = Math.max(0, Number(payload.toString()) - 1);
    });
    // A session Mosquitto did not have is saved at once: after a crash, Mosquitto then queues
    // for the hub what devices send before the hub is back, instead of sending it nowhere.
    hub.client.on('connect', (connack) => {
      if (!connack.sessionPresent) void dynsec.roundTrip().then(() => supervisor.save(), () => {});
    });

    app.decorate('mqtt', {
      ...hub.bus,
      address: () => ({ address: mqtt.host, family: mqtt.host.includes(':') ? 'IPv6' : 'IPv4', port: mqtt.port }),
      tlsAddress: () => (mqtts ? { address: mqtts.host, family: mqtts.host.includes(':') ? 'IPv6' : 'IPv4', port: mqtts.port } : null),
      connectedClients: () => clients,
      // Mosquitto logs its refusals itself; the hub does not see them.
      auditCounts: () => ({ rejectedConnections: 0, rejectedPublishes: 0, rejectedSubscriptions: 0, oversizedPackets: 0 }),
      externalBroker: () => null,
      managesCredentials: () => true,
      credentialsApplied: () => dynsec.applied(),
    } satisfies MqttBus);

    app.get('/mqtt', { websocket: true }, (socket) => proxyToBroker(socket, local));

    app.addHook('onReady', async () => {
      await supervisor.start();
      log.info({ pid: supervisor.pid, ...mqtt, mqttsPort: mqtts?.port ?? null }, 'Mosquitto running');
      hub.client.subscribe(CLIENTS_TOPIC);
      if (!(await hub.start(FIRST_CONNECT_WAIT_MS))) log.error(`no connection to Mosquitto after ${FIRST_CONNECT_WAIT_MS / 1000} s; retrying`);
      // For the credentials CLI, which makes and revokes credentials from another process.
      writePrivate(files.admin, JSON.stringify({ url: `mqtt://${hostInUrl(local.host)}:${local.port}`, username: HUB_USERNAME, password: hubPassword }));
    });
    app.addHook('onClose', async () => {
      rmSync(files.admin, { force: true });
      dynsec.stop();
      await hub.end();
      await supervisor.stop();
    });
  },
  { name: 'broker', dependencies: ['@fastify/websocket', 'deviceCredentials'] },
);

/** The dynamic security plugin beside an executable Mosquitto, or a stop naming the Debian package. */
function findInstallation(binary: string): string {
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new MosquittoMissing(`${binary} is not an executable`);
  }
  const plugin = readdirSync('/usr/lib').map((dir) => join('/usr/lib', dir, DYNSEC_PLUGIN)).find((path) => existsSync(path));
  if (!plugin) throw new MosquittoMissing(`its dynamic security plugin (/usr/lib/*/${DYNSEC_PLUGIN}) is not there`);
  return plugin;
}

/** Written whole or not at all, readable by the hub's user only (it holds a password hash). */
function writePrivate(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/** Mosquitto cannot be told port 0: the hub finds a free port and gives it that one. */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where the hub itself reaches a listener bound to `host`. */
const reachable = (host: string): string => (host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host);
const hostInUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host);

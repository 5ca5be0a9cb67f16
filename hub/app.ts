import { fastifySSE } from '@fastify/sse';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { readFileSync } from 'node:fs';
import { accountRoutes } from './api/account.js';
import { authRoutes, userRoutes } from './api/auth.js';
import { deviceRoutes } from './api/devices.js';
import { healthRoutes } from './api/health.js';
import { lazySchemaCompilers } from './api/lazy-schemas.js';
import { liveRoutes } from './api/live.js';
import type { HubConfig } from './config.js';
import { eventRoutes } from './api/events.js';
import { authPlugin } from './plugins/auth.js';
import { bridgePlugin } from './plugins/bridge.js';
import { commandsPlugin } from './plugins/commands.js';
import { historyPlugin } from './plugins/history.js';
import { hostCheckPlugin } from './plugins/host-check.js';
import { httpLimitsPlugin } from './plugins/http-limits.js';
import { roomsPlugin } from './plugins/rooms.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { deviceSetupRoutes } from './api/device-setup.js';
import { roomRoutes } from './api/rooms.js';
import { automationRoutes } from './api/automations.js';
import { homeRoutes } from './api/home.js';
import { sceneRoutes } from './api/scenes.js';
import { systemClock, type Clock } from './automations/clock.js';
import { automationsPlugin } from './plugins/automations.js';
import { scenesPlugin } from './plugins/scenes.js';
import { historyRoutes } from './api/history.js';
import { journalPlugin } from './plugins/journal.js';
import { brokerPlugin } from './plugins/broker.js';
import { writePacketNumbersWithoutTable } from './mqtt/packet-numbers.js';
import { credentialsPlugin } from './plugins/credentials.js';
import { credentialRoutes } from './api/credentials.js';
import { dashboardPlugin, defaultDashboardDir } from './plugins/dashboard.js';
import { registryPlugin } from './plugins/registry.js';
import { simulatorPlugin } from './plugins/simulator.js';
import { storePlugin } from './plugins/store.js';
import { backupsPlugin } from './plugins/backups.js';
import { hubSocketPlugin } from './plugins/hub-socket.js';
import { backupRoutes } from './api/backups.js';
import { StorageUnavailable } from './errors.js';
import type { ClockSource } from './clock.js';
import { clockPlugin } from './plugins/clock.js';
import { isStorageFault } from './store/write-batch.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  dashboardDir?: string;
  /** Where the hub reads the time (tests step it); the system's clock by default. */
  clock?: ClockSource;
  /** What automations read the time from and wait with (tests move a fake one). */
  automationClock?: Clock;
}

/** WebSocket frames larger than this are refused (commands and MQTT packets are far smaller). */
const MAX_WS_FRAME_BYTES = 1024 * 1024;
/** Keeps idle event streams open through proxies that cut silent connections. */
const SSE_HEARTBEAT_MS = 15_000;

/** Builds the hub from its plugins, in dependency order. Never listens: see main.ts. */
export async function buildApp(config: HubConfig, options: AppOptions = {}) {
  // Before the broker, the hub's MQTT client or the demo devices write their first packet.
  writePacketNumbersWithoutTable();
  const tls = readTls(config);
  const timeouts = serverTimeouts(config.httpIdleTimeoutMs);
  const app = Fastify({
    // HTTPS and WSS on the HTTP port when a certificate is given; plain HTTP otherwise.
    https: tls && { ...tls, ...timeouts },
    keepAliveTimeout: config.httpIdleTimeoutMs,
    requestTimeout: timeouts.requestTimeout,
    logger: options.logger ?? { level: config.logLevel },
    // Shutdown waits for open connections; long-lived sockets are closed by their plugins.
    forceCloseConnections: true,
    // The store waits as long as its database is locked or the disk too full to open it
    // (see plugins/store.ts); Fastify's 10 s limit on a plugin's start would end that in an exit.
    pluginTimeout: 0,
    bodyLimit: 64 * 1024,
    // An unknown property is a mistake the sender should hear about, not something to drop quietly.
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
    // Handed to http.createServer as they are (Fastify types `http` apart from `https`).
    ...(tls ? {} : ({ http: timeouts } as object)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // A full disk or a database locked by another process refuses the change, not the hub.
  app.setErrorHandler((error, request) => {
    if (!isStorageFault(error)) throw error;
    request.log.error({ err: error }, 'request refused: the database cannot be written');
    throw new StorageUnavailable();
  });
  await app.register(securityHeadersPlugin, { tls: tls !== null });
  await app.register(hostCheckPlugin, { publicHosts: config.publicHosts });
  await app.register(httpLimitsPlugin, { maxPerAddress: config.httpMaxConnectionsPerAddress, limitLoopback: config.httpLimitLoopback });
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_WS_FRAME_BYTES } });
  await app.register(fastifySSE, { heartbeatInterval: SSE_HEARTBEAT_MS });
  await app.register(clockPlugin, { source: options.clock });
  await app.register(storePlugin, { dataDir: config.dataDir });
  await app.register(backupsPlugin, { dir: config.backupDir, keep: config.backupKeep, hour: config.backupHour });
  await app.register(authPlugin, { secureCookies: tls !== null, publicHosts: config.publicHosts, now: app.clock.now });
  await app.register(credentialsPlugin, { discoveryPrefix: config.discoveryPrefix });
  await app.register(hubSocketPlugin, { dataDir: config.dataDir });
  await registerBroker(app, config, tls);
  await app.register(registryPlugin);
  await app.register(journalPlugin, { retain: config.journalSize, reportCommitMs: config.reportCommitSeconds * 1000 });
  await app.register(roomsPlugin);
  await app.register(historyPlugin, { rawDays: config.historyRawDays, minuteDays: config.historyMinuteDays, hourDays: config.historyHourDays, maxMb: config.historyMaxMb });
  await app.register(bridgePlugin, { discoveryPrefix: config.discoveryPrefix, zigbee2mqttBaseTopic: config.zigbee2mqttBaseTopic });
  await app.register(commandsPlugin, { timeoutMs: config.commandTimeoutMs });
  await app.register(scenesPlugin);
  await app.register(automationsPlugin, { clock: options.automationClock ?? systemClock, loopLimit: config.automationLoopLimit });
  await app.register(
    async (api) => {
      await api.register(authRoutes, { prefix: '/auth' });
      await api.register(accountRoutes, { prefix: '/auth' });
      await api.register(userRoutes);
      await api.register(healthRoutes);
      await api.register(deviceRoutes);
      await api.register(liveRoutes);
      await api.register(eventRoutes);
      await api.register(historyRoutes);
      await api.register(roomRoutes);
      await api.register(sceneRoutes);
      await api.register(automationRoutes);
      await api.register(homeRoutes);
      await api.register(credentialRoutes);
      await api.register(deviceSetupRoutes, { discoveryPrefix: config.discoveryPrefix, zigbee2mqttBaseTopic: config.zigbee2mqttBaseTopic });
      await api.register(backupRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(dashboardPlugin, { dir: options.dashboardDir ?? defaultDashboardDir() });
  if (config.simulate) await app.register(simulatorPlugin, { externalBrokerUrl: config.mqttUrl });
  return app;
}

/**
 * A connection must send its request headers within the idle timeout, and the whole request
 * within three times that; an idle keep-alive connection is closed after it too. Node checks
 * these on an interval (30 s by default), so an idle connection lingered up to that long more.
 * Once a response streams (events, a long poll) or the connection is a WebSocket, they no
 * longer apply.
 */
function serverTimeouts(idleMs: number) {
  return { headersTimeout: idleMs, requestTimeout: idleMs * 3, connectionsCheckingInterval: Math.min(1000, idleMs) };
}

/**
 * The hub's one broker, picked by the configuration: a broker at --mqtt-url, a Mosquitto the
 * hub runs, or its own aedes. Each is loaded only when used (MQTT.js alone adds about 0.1 s
 * to every start).
 */
async function registerBroker(app: FastifyInstance, config: HubConfig, tls: { cert: Buffer; key: Buffer } | null): Promise<void> {
  if (config.mqttUrl) {
    const { externalBrokerPlugin } = await import('./plugins/external-broker.js');
    await app.register(externalBrokerPlugin, { url: config.mqttUrl, clientId: config.mqttClientId, dynsec: config.mqttDynsec });
  } else if (config.broker === 'mosquitto') {
    const { mosquittoPlugin } = await import('./plugins/mosquitto.js');
    await app.register(mosquittoPlugin, {
      binary: config.mosquittoBin,
      dataDir: config.dataDir,
      port: config.mqttPort,
      host: config.host,
      tls: tls && { certFile: config.tlsCert!, keyFile: config.tlsKey!, port: config.mqttsPort },
      anonymous: config.mqttAnonymous,
      maxPacketBytes: config.mqttMaxPacketBytes,
      discoveryPrefix: config.discoveryPrefix,
      clientId: config.mqttClientId,
    });
  } else {
    await app.register(brokerPlugin, {
      port: config.mqttPort,
      host: config.host,
      anonymous: config.mqttAnonymous,
      maxPacketBytes: config.mqttMaxPacketBytes,
      limits: { maxPerAddress: config.mqttMaxConnectionsPerAddress, connectsPerMinute: config.mqttConnectsPerMinute, limitLoopback: config.mqttLimitLoopback },
      discoveryPrefix: config.discoveryPrefix,
      tls: tls && { ...tls, port: config.mqttsPort },
      maxQueued: config.mqttMaxQueued,
      flushMs: config.reportCommitSeconds * 1000,
      retained: {
        maxMessages: config.mqttMaxRetained,
        maxBytes: config.mqttMaxRetainedBytes,
        maxMessagesPerCredential: config.mqttMaxRetainedPerCredential,
        maxBytesPerCredential: config.mqttMaxRetainedBytesPerCredential,
      },
    });
  }
}

/** The certificate and key, read once at start; a missing file stops the hub with its path. */
function readTls(config: HubConfig): { cert: Buffer; key: Buffer } | null {
  if (!config.tlsCert || !config.tlsKey) return null;
  return { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) };
}

export type HubApp = Awaited<ReturnType<typeof buildApp>>;

import { fastifySSE } from '@fastify/sse';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { deviceRoutes } from './api/devices.js';
import { healthRoutes } from './api/health.js';
import { liveRoutes } from './api/live.js';
import type { HubConfig } from './config.js';
import { eventRoutes } from './api/events.js';
import { bridgePlugin } from './plugins/bridge.js';
import { commandsPlugin } from './plugins/commands.js';
import { historyPlugin } from './plugins/history.js';
import { roomsPlugin } from './plugins/rooms.js';
import { roomRoutes } from './api/rooms.js';
import { historyRoutes } from './api/history.js';
import { journalPlugin } from './plugins/journal.js';
import { brokerPlugin } from './plugins/broker.js';
import { credentialsPlugin } from './plugins/credentials.js';
import { credentialRoutes } from './api/credentials.js';
import { dashboardPlugin, defaultDashboardDir } from './plugins/dashboard.js';
import { registryPlugin } from './plugins/registry.js';
import { simulatorPlugin } from './plugins/simulator.js';
import { storePlugin } from './plugins/store.js';

export interface AppOptions {
  logger?: FastifyServerOptions['logger'];
  dashboardDir?: string;
}

/** WebSocket frames larger than this are refused (commands and MQTT packets are far smaller). */
const MAX_WS_FRAME_BYTES = 1024 * 1024;
/** Keeps idle event streams open through proxies that cut silent connections. */
const SSE_HEARTBEAT_MS = 15_000;

/** Builds the hub from its plugins, in dependency order. Never listens: see main.ts. */
export async function buildApp(config: HubConfig, options: AppOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    // Shutdown waits for open connections; long-lived sockets are closed by their plugins.
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
    // An unknown property is a mistake the sender should hear about, not something to drop quietly.
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_WS_FRAME_BYTES } });
  await app.register(fastifySSE, { heartbeatInterval: SSE_HEARTBEAT_MS });
  await app.register(storePlugin, { dataDir: config.dataDir });
  await app.register(credentialsPlugin, { discoveryPrefix: config.discoveryPrefix });
  await app.register(brokerPlugin, {
    port: config.mqttPort,
    host: config.host,
    anonymous: config.mqttAnonymous,
    maxPacketBytes: config.mqttMaxPacketBytes,
    limits: { maxPerAddress: config.mqttMaxConnectionsPerAddress, connectsPerMinute: config.mqttConnectsPerMinute, limitLoopback: config.mqttLimitLoopback },
    discoveryPrefix: config.discoveryPrefix,
  });
  await app.register(registryPlugin);
  await app.register(journalPlugin, { retain: config.journalSize });
  await app.register(roomsPlugin);
  await app.register(historyPlugin, { rawDays: config.historyRawDays, minuteDays: config.historyMinuteDays, hourDays: config.historyHourDays });
  await app.register(bridgePlugin, { discoveryPrefix: config.discoveryPrefix });
  await app.register(commandsPlugin, { timeoutMs: config.commandTimeoutMs });
  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(deviceRoutes);
      await api.register(liveRoutes);
      await api.register(eventRoutes);
      await api.register(historyRoutes);
      await api.register(roomRoutes);
      await api.register(credentialRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(dashboardPlugin, { dir: options.dashboardDir ?? defaultDashboardDir() });
  if (config.simulate) await app.register(simulatorPlugin);
  return app;
}

export type HubApp = Awaited<ReturnType<typeof buildApp>>;

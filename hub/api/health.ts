import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.Literal('ok'),
  uptimeSeconds: Type.Number(),
  devices: Type.Object({ total: Type.Integer(), online: Type.Integer() }),
  mqtt: Type.Object({
    clients: Type.Integer(),
    port: Type.Union([Type.Integer(), Type.Null()]),
    rejectedConnections: Type.Integer(),
    rejectedPublishes: Type.Integer(),
    rejectedSubscriptions: Type.Integer(),
    oversizedPackets: Type.Integer(),
    /** Messages not queued for an offline session whose queue was full (--mqtt-max-queued). */
    droppedQueuedMessages: Type.Integer(),
    /** Null for the embedded broker; otherwise the external broker's URL (without credentials). */
    externalBroker: Type.Union([Type.Object({ url: Type.String(), connected: Type.Boolean() }), Type.Null()]),
  }),
  storage: Type.Object({
    ok: Type.Boolean(),
    error: Type.Union([Type.String(), Type.Null()]),
    failedCommits: Type.Integer(),
    /** Commits since the hub started; each is one synced write to the disk. */
    commits: Type.Integer(),
    refusedEvents: Type.Integer(),
  }),
  /** Steps of the wall clock the hub has seen (NTP syncing a Raspberry Pi's clock, say); byMs < 0 is a step back. */
  clock: Type.Object({
    now: Type.Integer(),
    steps: Type.Array(Type.Object({ detectedAt: Type.Integer(), byMs: Type.Integer() })),
  }),
  bridge: Type.Object({
    messages: Type.Integer(),
    rejectedPayloads: Type.Integer(),
    rejectedDiscovery: Type.Integer(),
    commands: Type.Integer(),
  }),
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { schema: { response: { 200: Health } } }, async () => {
    const devices = app.registry.list();
    return {
      status: 'ok' as const,
      uptimeSeconds: Math.round(process.uptime()),
      devices: { total: devices.length, online: devices.filter((d) => d.online).length },
      mqtt: { clients: app.mqtt.connectedClients(), port: app.mqtt.address()?.port ?? null, ...app.mqtt.auditCounts(), droppedQueuedMessages: app.mqtt.droppedQueuedMessages?.() ?? 0, externalBroker: app.mqtt.externalBroker() },
      storage: { ...app.store.batch.health, refusedEvents: app.journal.refused },
      clock: { now: app.clock.now(), steps: app.clock.steps },
      bridge: app.bridge.stats,
    };
  });
};

import fp from 'fastify-plugin';
import { hubClient, splitCredentials } from '../broker/hub-client.js';
import type { MqttBus } from './broker.js';

export interface ExternalBrokerOptions {
  /** mqtt://, mqtts://, ws:// or wss://, with the hub's user name and password in it. */
  url: string;
  clientId: string;
  /** The hub's user administers Mosquitto's dynamic security: device credentials are made there. */
  dynsec: boolean;
}

/** At start, how long the hub waits for the broker before serving without it (and retrying). */
const FIRST_CONNECT_WAIT_MS = 10_000;

/**
 * The hub as a client of a broker it does not run (Mosquitto, EMQX, a cluster). Unless the
 * hub administers the broker's dynamic security, its own users and ACLs decide who may
 * connect and publish.
 */
export const externalBrokerPlugin = fp<ExternalBrokerOptions>(
  async (app, options) => {
    const log = app.log.child({ plugin: 'broker' });
    // Kept apart, so that logs and health can show the URL.
    const credentials = splitCredentials(options.url);
    const { url } = credentials;
    const hub = hubClient(log, { ...credentials, clientId: options.clientId });
    const dynsec = options.dynsec ? await import('../broker/dynsec-sync.js').then(({ DynsecSync }) => new DynsecSync(hub.client, app.deviceCredentials, log)) : null;

    app.decorate('mqtt', {
      ...hub.bus,
      address: () => null,
      tlsAddress: () => null,
      connectedClients: () => 0,
      auditCounts: () => ({ rejectedConnections: 0, rejectedPublishes: 0, rejectedSubscriptions: 0, oversizedPackets: 0 }),
      externalBroker: () => ({ url, connected: hub.ready() }),
      managesCredentials: () => dynsec !== null,
      credentialsApplied: () => dynsec?.applied() ?? Promise.resolve(),
    } satisfies MqttBus);

    app.addHook('onReady', async () => {
      if (!(await hub.start(FIRST_CONNECT_WAIT_MS))) log.error({ url }, `no MQTT broker after ${FIRST_CONNECT_WAIT_MS / 1000} s; serving without it and retrying`);
    });
    app.addHook('onClose', async () => {
      dynsec?.stop();
      // The session stays on the broker, which keeps queueing for the hub's return.
      await hub.end();
    });
  },
  { name: 'broker', dependencies: ['deviceCredentials'] },
);

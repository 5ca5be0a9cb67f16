import fp from 'fastify-plugin';
import { usernameFor } from '../mqtt/credentials.js';
import { placeNewDevices } from '../rooms/demo-rooms.js';
type DemoHome = Awaited<ReturnType<typeof import('../../devices/demo-home.js').startDemoHome>>;

/**
 * The simulated demo home, run in the hub process as real MQTT clients over TCP, exactly
 * as separate devices would connect. A failure here is logged; the hub keeps running.
 */
export const simulatorPlugin = fp<{ externalBrokerUrl: string | null }>(
  async (app, { externalBrokerUrl }) => {
    const log = app.log.child({ plugin: 'simulator' });
    let home: Promise<DemoHome | null> = Promise.resolve(null);
    let stopPlacing = () => {};

    app.addHook('onReady', async () => {
      const connection = externalBrokerUrl ? { url: externalBrokerUrl } : ownBrokerConnection();
      if (!connection) return log.warn('MQTT over TCP is disabled; not starting the demo home');
      // Loaded only when simulating: a hub serving real devices never loads the simulator.
      home = import('../../devices/demo-home.js')
        .then(async ({ startDemoHome, demoHomeSpecs }) => {
          stopPlacing = placeNewDevices(app.registry, app.rooms, demoHomeSpecs());
          const credentials = 'credentialsFor' in connection ? new Map(demoHomeSpecs().map((spec) => [spec.id, connection.credentialsFor(spec)])) : null;
          // A broker with a copy of the credentials (Mosquitto) has them before the devices connect.
          await app.mqtt.credentialsApplied();
          return startDemoHome({ url: connection.url, ...(credentials ? { credentialsFor: (spec) => credentials.get(spec.id)! } : {}) });
        })
        .then(
          (started) => {
            log.info({ devices: started.devices.length }, 'simulated demo home started');
            return started;
          },
          (error: Error) => {
            log.error({ err: error }, 'simulated demo home failed to start');
            return null;
          },
        );
    });

    /**
     * The hub's own broker's TCP port, where each device gets a credential of its own, made
     * afresh at every start: its password lives only in this process, like a real device's in
     * its firmware. On an external broker the devices use the hub's own user.
     */
    function ownBrokerConnection() {
      const address = app.mqtt.address();
      if (!address) return null;
      const host = address.family === 'IPv6' ? (address.address === '::' ? '::1' : address.address) : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
      const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      const credentialsFor = (spec: { name: string }) => {
        app.deviceCredentials.revoke(usernameFor(spec.name));
        const { username, password } = app.deviceCredentials.create(spec.name);
        return { username, password };
      };
      return { url, credentialsFor };
    }

    // Before the broker closes, so the devices leave cleanly instead of being cut off.
    app.addHook('preClose', async () => {
      await (await home)?.stop();
      stopPlacing();
    });
  },
  { name: 'simulator', dependencies: ['broker', 'deviceCredentials', 'registry', 'rooms'] },
);

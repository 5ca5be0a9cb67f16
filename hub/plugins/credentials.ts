import fp from 'fastify-plugin';
import { DeviceCredentials } from '../mqtt/credentials.js';

declare module 'fastify' {
  interface FastifyInstance {
    deviceCredentials: DeviceCredentials;
  }
}

/** MQTT device credentials in the hub's database, read by the broker on every connection. */
export const credentialsPlugin = fp<{ discoveryPrefix: string }>(
  async (app, { discoveryPrefix }) => {
    app.decorate('deviceCredentials', new DeviceCredentials(app.store.db, discoveryPrefix));
  },
  { name: 'deviceCredentials', dependencies: ['store'] },
);

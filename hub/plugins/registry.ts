import fp from 'fastify-plugin';
import { DeviceRegistry } from '../registry/registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    registry: DeviceRegistry;
  }
}

export const registryPlugin = fp(
  async (app) => {
    app.decorate('registry', new DeviceRegistry(app.store, app.log.child({ plugin: 'registry' }), app.clock.now));
  },
  { name: 'registry', dependencies: ['store', 'clock'] },
);

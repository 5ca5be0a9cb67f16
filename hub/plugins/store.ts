import fp from 'fastify-plugin';
import { openDatabase } from '../store/database.js';
import { DeviceStore } from '../store/device-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: DeviceStore;
  }
}

/** SQLite in the data dir: opened and migrated before anything else, closed last. */
export const storePlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const store = new DeviceStore(openDatabase(dataDir));
    app.decorate('store', store);
    app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);

import fp from 'fastify-plugin';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { DeviceStore } from '../store/device-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: DeviceStore;
  }
}

/** How often a hub that finds its database locked by another process tries again. */
const LOCKED_RETRY_MS = 2000;

/** SQLite in the data dir: opened and migrated before anything else, closed last. */
export const storePlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const log = app.log.child({ plugin: 'store' });
    const { db, setAside } = await openWhenUnlocked(dataDir, log);
    if (setAside) log.error({ setAside }, `the database could not be read; it was moved to ${setAside} and a fresh one started`);
    const store = new DeviceStore(db, log);
    app.decorate('store', store);
    app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);

/** Another process holding the database (a second hub on this data dir, a backup) is waited for, not fatal. */
async function openWhenUnlocked(dataDir: string, log: { warn(obj: object, msg: string): void }): Promise<OpenedDatabase> {
  for (let attempt = 1; ; attempt++) {
    try {
      return openDatabase(dataDir);
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
      log.warn({ dataDir, attempt }, 'the database is locked by another process (another hub on this data dir?); waiting');
      await sleep(LOCKED_RETRY_MS);
    }
  }
}

import fp from 'fastify-plugin';
import { setTimeout as sleep } from 'node:timers/promises';
import { StorageUnavailable } from '../errors.js';
import { openDatabase, type OpenedDatabase } from '../store/database.js';
import { DeviceStore } from '../store/device-store.js';
import { isStorageFault } from '../store/write-batch.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: DeviceStore;
  }
  interface FastifyContextConfig {
    /** False for a request that changes nothing on disk (a device command): it is served while writes fail. */
    writesStorage?: boolean;
  }
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How often a hub that cannot open its database (locked by another process, disk full) tries again. */
const LOCKED_RETRY_MS = 2000;

/** SQLite in the data dir: opened and migrated before anything else, closed last. */
export const storePlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const log = app.log.child({ plugin: 'store' });
    const { db, setAside } = await openWhenUnlocked(dataDir, log);
    if (setAside) log.error({ setAside }, `the database could not be read; it was moved to ${setAside} and a fresh one started`);
    const store = new DeviceStore(db, log);
    app.decorate('store', store);
    // While commits fail, a change through the API is refused at once rather than kept in
    // memory behind the failing ones (or left waiting for the database's lock).
    app.addHook('preHandler', async (request) => {
      if (READS.has(request.method) || request.routeOptions.config.writesStorage === false || !store.batch.failing) return;
      throw new StorageUnavailable();
    });
    app.addHook('onClose', async () => store.close());
  },
  { name: 'store' },
);

/**
 * Another process holding the database (a second hub on this data dir, a backup) is waited
 * for, not fatal; so is a disk too full to open it on (WAL needs room for its index file):
 * exiting would only have the service manager restart the hub into the same wall.
 */
async function openWhenUnlocked(dataDir: string, log: { warn(obj: object, msg: string): void }): Promise<OpenedDatabase> {
  for (let attempt = 1; ; attempt++) {
    try {
      return openDatabase(dataDir);
    } catch (error) {
      if (!isStorageFault(error)) throw error;
      const locked = (error as { code?: string }).code === 'SQLITE_BUSY';
      const why = locked ? 'the database is locked by another process (another hub on this data dir?)' : 'the database cannot be opened (disk full or failing)';
      log.warn({ dataDir, attempt, err: error }, `${why}; waiting`);
      await sleep(LOCKED_RETRY_MS);
    }
  }
}

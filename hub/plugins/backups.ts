import fp from 'fastify-plugin';
import { Backups, nextBackupAt } from '../store/backups.js';

declare module 'fastify' {
  interface FastifyInstance {
    backups: Backups;
  }
}

export interface BackupsOptions {
  dir: string;
  keep: number;
  /** Local hour of the nightly backup. */
  hour: number;
}

/** A copy of the database every night, beside the store whose file it copies. */
export const backupsPlugin = fp<BackupsOptions>(
  async (app, { dir, keep, hour }) => {
    const log = app.log.child({ plugin: 'backups' });
    const backups = new Backups(app.store.db.name, dir, keep);
    let timer: NodeJS.Timeout | null = null;
    const schedule = () => {
      const due = nextBackupAt(new Date(), hour);
      timer = setTimeout(() => {
        backups.take().then(
          (backup) => log.info({ backup }, 'nightly backup taken'),
          // A full stick or a NAS that is away: logged, and tried again the next night.
          (error: Error) => log.error({ err: error, dir }, 'nightly backup failed'),
        );
        schedule();
      }, due.getTime() - Date.now());
      timer.unref();
    };
    schedule();
    app.decorate('backups', backups);
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      await backups.settled();
    });
  },
  { name: 'backups', dependencies: ['store'] },
);

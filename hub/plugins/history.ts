import fp from 'fastify-plugin';
import { History, type HistoryOptions } from '../history/history.js';

declare module 'fastify' {
  interface FastifyInstance {
    history: History;
  }
}

/** Summaries are brought up to date this often, and whenever a chart asks. */
const ROLL_UP_MS = 60_000;

/** Every confirmed state change goes into the history, committed with its journal event. */
export const historyPlugin = fp<HistoryOptions>(
  async (app, options) => {
    const history = new History(app.store.db, app.store.batch, options);
    const unsubscribe = app.registry.subscribe((change) => {
      if (change.type === 'state') history.record(change.to.id, change.changed, change.to.lastSeen ?? Date.now());
      else if (change.type === 'removed') history.removeDevice(change.from.id);
    });
    const timer = setInterval(() => {
      try {
        history.rollUp();
      } catch (error) {
        app.log.error({ err: error }, 'history roll-up failed');
      }
    }, ROLL_UP_MS);
    timer.unref();
    app.decorate('history', history);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      unsubscribe();
    });
  },
  { name: 'history', dependencies: ['store', 'registry'] },
);

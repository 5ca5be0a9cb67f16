import fp from 'fastify-plugin';
import { History, type HistoryOptions } from '../history/history.js';

declare module 'fastify' {
  interface FastifyInstance {
    history: History;
  }
}

/** Summaries are brought up to date this often; a chart reads what is not summarised yet from the raw rows. */
const ROLL_UP_MS = 60_000;

/** Every confirmed state change goes into the history, committed with its journal event. */
export const historyPlugin = fp<HistoryOptions>(
  async (app, options) => {
    const history = new History(app.store.db, app.store.batch, options);
    const unsubscribe = app.registry.subscribe((change) => {
      if (change.type === 'state') history.record(change.to.id, change.changed, change.to.lastSeen ?? Date.now());
      else if (change.type === 'removed') history.removeDevice(change.from.id);
    });
    // A slice per turn of the event loop, so readings keep flowing while history is summarised.
    let running: NodeJS.Immediate | null = null;
    const step = () => {
      running = null;
      try {
        if (history.rollUpStep()) running = setImmediate(step);
      } catch (error) {
        app.log.error({ err: error }, 'history roll-up failed; it resumes where it stopped next time');
      }
    };
    const timer = setInterval(() => {
      if (!running) step();
    }, ROLL_UP_MS);
    timer.unref();
    app.decorate('history', history);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      if (running) clearImmediate(running);
      unsubscribe();
    });
  },
  { name: 'history', dependencies: ['store', 'registry'] },
);

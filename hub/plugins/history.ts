import fp from 'fastify-plugin';
import { History, type HistoryOptions } from '../history/history.js';

declare module 'fastify' {
  interface FastifyInstance {
    history: History;
  }
}

/**
 * Summaries are brought up to date this often; a chart reads what is not summarised yet from
 * the raw rows. Each run rewrites a page of each summary table and index (six or so): once a
 * minute, that was a third of what the demo home at rest wrote.
 */
const ROLL_UP_MS = 5 * 60_000;

/** Every confirmed state change goes into the history, within seconds of its journal event, which holds it until then. */
export const historyPlugin = fp<HistoryOptions>(
  async (app, options) => {
    const history = new History(app.store.db, app.store.batch, options, app.clock.now, () => app.journal.lastAssigned);
    app.clock.noteStoredTime(history.latestAt);
    app.journal.keepFrom(() => history.firstUnwrittenSeq);
    const unsubscribe = app.registry.subscribe((change) => {
      if (change.type === 'state') history.record(change.to.id, change.changed, change.to.lastSeen ?? app.clock.now());
      else if (change.type === 'removed') history.removeDevice(change.from.id);
    });
    // A slice per commit, so readings keep flowing while history is summarised.
    let running: Promise<void> | null = null;
    let closing = false;
    const run = async () => {
      try {
        while (!closing && (await history.rollUpStep()));
      } catch (error) {
        app.log.error({ err: error }, 'history roll-up failed; it resumes where it stopped next time');
      } finally {
        running = null;
      }
    };
    const timer = setInterval(() => {
      running ??= run();
    }, ROLL_UP_MS);
    timer.unref();
    app.decorate('history', history);
    app.addHook('onClose', async () => {
      clearInterval(timer);
      closing = true;
      unsubscribe();
      // Neither the running roll-up nor this flush is awaited: both are queued before the store
      // closes, which waits for the last commit, and a failing disk must not hold up the shutdown.
      void history.flush();
    });
  },
  { name: 'history', dependencies: ['store', 'registry', 'journal', 'clock'] },
);

import fp from 'fastify-plugin';
import { eventFor } from '../journal/events.js';
import { Journal } from '../journal/journal.js';

declare module 'fastify' {
  interface FastifyInstance {
    journal: Journal;
  }
}

/**
 * Most recent events kept in memory for quick resumes; older ones are read from disk. Not
 * more: at 10,000 events a second, each one kept past a few tenths of a second is promoted
 * to the old generation, and what lives there costs a full garbage collection to free.
 */
const IN_MEMORY_EVENTS = 2_000;

/** Every registry change becomes a numbered journal event, committed (see Journal for when). */
export const journalPlugin = fp<{ retain: number; reportCommitMs: number }>(
  async (app, { retain, reportCommitMs }) => {
    const journal = new Journal(app.store.db, app.store.batch, { retain, inMemory: Math.min(retain, IN_MEMORY_EVENTS), reportCommitMs }, app.log.child({ plugin: 'journal' }));
    const unsubscribe = app.registry.subscribe((change) => journal.append(eventFor(change)));
    // Device states are written a few seconds after their events, which are kept until then.
    app.store.numberStatesBy(() => journal.lastAssigned);
    journal.keepFrom(() => app.store.firstUnwrittenStateSeq);
    app.decorate('journal', journal);
    app.addHook('onClose', async () => {
      unsubscribe();
      await journal.close();
    });
  },
  { name: 'journal', dependencies: ['store', 'registry'] },
);

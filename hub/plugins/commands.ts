import fp from 'fastify-plugin';
import { Commands } from '../commands/commands.js';
import { CommandTracker } from '../commands/tracker.js';

declare module 'fastify' {
  interface FastifyInstance {
    commands: Commands;
  }
}

export const commandsPlugin = fp<{ timeoutMs: number }>(
  async (app, { timeoutMs }) => {
    const tracker = new CommandTracker(timeoutMs, (command) => app.journal.append({ type: 'command', command }));
    const unsubscribe = app.registry.subscribe(tracker.observe);
    app.decorate('commands', new Commands(app.bridge, tracker));
    app.addHook('preClose', async () => {
      unsubscribe();
      tracker.close();
    });
  },
  { name: 'commands', dependencies: ['bridge', 'journal', 'registry'] },
);

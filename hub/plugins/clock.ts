import fp from 'fastify-plugin';
import { HubClock, type ClockSource } from '../clock.js';

declare module 'fastify' {
  interface FastifyInstance {
    clock: HubClock;
  }
}

/** The one clock readings are stamped with; tests pass a source they can step. */
export const clockPlugin = fp<{ source?: ClockSource }>(
  async (app, { source }) => {
    app.decorate('clock', new HubClock(source));
  },
  { name: 'clock' },
);

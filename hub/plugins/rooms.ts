import fp from 'fastify-plugin';
import { Rooms } from '../rooms/rooms.js';

declare module 'fastify' {
  interface FastifyInstance {
    rooms: Rooms;
  }
}

/** Rooms, journalled like every other change so every open dashboard follows them. */
export const roomsPlugin = fp(
  async (app) => {
    app.decorate('rooms', new Rooms(app.store.db, (rooms) => app.journal.append({ type: 'rooms', rooms })));
  },
  { name: 'rooms', dependencies: ['store', 'journal'] },
);

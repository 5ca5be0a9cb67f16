import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { WebSocket } from 'ws';
import { describeErrors } from '../capabilities/index.js';
import type { ClientMessage, ServerMessage } from '../protocol/messages.js';
import { messageFor } from './live-messages.js';
import { CommandBody } from './schemas.js';

/**
 * A client that lets this much pile up unsent is not keeping up; it is closed and
 * reconnects to a fresh snapshot rather than letting the hub's memory grow.
 */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** 1013 "Try Again Later": the client should reconnect. */
const CLOSE_TOO_SLOW = 1013;

const validateClientMessage = Compile(
  Type.Object({
    type: Type.Literal('command'),
    ref: Type.Optional(Type.String({ maxLength: 100 })),
    id: Type.String({ minLength: 1, maxLength: 200 }),
    command: CommandBody,
  }),
);

/** WebSocket at /api/ws: a snapshot, then one message per change; commands go the other way. */
export const liveRoutes: FastifyPluginAsync = async (app) => {
  const clients = new Set<WebSocket>();
  const log = app.log.child({ plugin: 'live' });

  const send = (socket: WebSocket, message: ServerMessage) => socket.send(JSON.stringify(message));

  const unsubscribe = app.registry.subscribe((change) => {
    if (clients.size === 0) return;
    // Serialised once, whatever the number of clients.
    const text = JSON.stringify(messageFor(change));
    for (const socket of clients) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        log.warn({ buffered: socket.bufferedAmount }, 'closing a WebSocket client that does not keep up');
        clients.delete(socket);
        socket.close(CLOSE_TOO_SLOW, 'too slow; reconnect for a fresh snapshot');
        continue;
      }
      socket.send(text);
    }
  });
  app.addHook('onClose', async () => unsubscribe());

  app.get('/ws', { websocket: true }, (socket) => {
    clients.add(socket);
    socket.on('close', () => clients.delete(socket));
    socket.on('error', () => clients.delete(socket));
    socket.on('message', (data, isBinary) => {
      const reply = handleClientMessage(isBinary ? null : data.toString());
      if (reply) send(socket, reply);
    });
    send(socket, { type: 'snapshot', devices: app.registry.list() });
  });

  function handleClientMessage(text: string | null): ServerMessage | null {
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (message === undefined) return { type: 'error', code: 'BAD_MESSAGE', message: 'messages must be JSON text' };
    if (!validateClientMessage.Check(message)) {
      const ref = (message as { ref?: unknown })?.ref;
      return {
        type: 'error',
        ...(typeof ref === 'string' ? { ref } : {}),
        code: 'BAD_MESSAGE',
        message: describeErrors(validateClientMessage, message),
      };
    }
    const { ref, id, command } = message as ClientMessage;
    const outcome = app.bridge.command(id, command);
    const withRef = ref === undefined ? {} : { ref };
    if (!outcome.ok) return { type: 'error', ...withRef, code: outcome.code, message: outcome.message };
    return ref === undefined ? null : { type: 'ack', ref, id };
  }
};

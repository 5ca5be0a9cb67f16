import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { allows } from '../auth/roles.js';
import { describeErrors } from '../capabilities/index.js';
import { catchUp } from '../journal/catch-up.js';
import { CLOSE_ROLE_CHANGED, CLOSE_SIGNED_OUT, type ClientMessage, type ServerMessage } from '../protocol/messages.js';
import { framedChunks } from './frames.js';
import { CommandBody } from './schemas.js';

/**
 * A client that lets this much pile up unsent is not keeping up. It is closed, and resumes
 * from the last sequence number it saw, so it loses nothing and the hub's memory stays
 * bounded. Large enough that a healthy client never meets it during a burst.
 */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** 1013 "Try Again Later". */
export const CLOSE_TOO_SLOW = 1013;

const validateClientMessage = Compile(
  Type.Object({
    type: Type.Literal('command'),
    ref: Type.Optional(Type.String({ maxLength: 100 })),
    id: Type.String({ minLength: 1, maxLength: 200 }),
    command: CommandBody,
  }),
);

export const SinceQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, description: 'last sequence number seen; resume after it' })),
});

/** WebSocket at /api/ws: a snapshot (or the missed events), then every event; commands go the other way. */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /**
   * Each client's WebSocket and the TCP (or TLS) socket under it. Events are written to the
   * socket directly, already framed (see frames.ts); ws writes its own frames (replies, pings,
   * close) to the same socket, in order, as nothing here compresses or queues.
   */
  const clients = new Map<WebSocket, Duplex>();
  const log = app.log.child({ plugin: 'live' });

  const unsubscribe = app.journal.subscribe((entries) => {
    if (clients.size === 0) return;
    const chunks = framedChunks(entries);
    for (const [socket, raw] of clients) {
      for (const chunk of chunks) {
        if (socket.readyState !== WebSocket.OPEN) break;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          log.warn({ buffered: socket.bufferedAmount, seq: entries[0]!.seq }, 'closing a WebSocket client that does not keep up');
          clients.delete(socket);
          socket.close(CLOSE_TOO_SLOW, 'too slow; resume with ?since=');
          break;
        }
        raw.write(chunk);
      }
    }
  });
  app.addHook('onClose', async () => unsubscribe());

  app.get('/ws', { websocket: true, schema: { querystring: SinceQuery } }, async (socket, request) => {
    // Listening from the first moment, as ws drops messages nobody listens to; replies wait
    // until the client has its starting point, which comes first.
    let held: ServerMessage[] | null = [];
    // Checked once at the upgrade: a viewer's socket receives everything and commands nothing.
    const mayControl = allows(request.principal!.user.role, 'control');
    socket.on('message', (data, isBinary) => {
      const reply = handleClientMessage(isBinary ? null : data.toString(), mayControl);
      if (!reply) return;
      if (held) held.push(reply);
      else send(socket, reply);
    });
    // Closed within the moment its session, token or user is revoked, or its role lowered.
    const forget = app.auth.streams.add(request.principal!, (reason) => {
      clients.delete(socket);
      if (reason === 'revoked') socket.close(CLOSE_SIGNED_OUT, 'signed out: sign in again');
      else socket.close(CLOSE_ROLE_CHANGED, 'role changed: reconnect');
    });
    socket.on('close', () => {
      clients.delete(socket);
      forget();
    });
    socket.on('error', () => clients.delete(socket));

    const start = await catchUp(app.journal, app, request.query.since);
    if (socket.readyState !== WebSocket.OPEN) return;
    if (!start.resumed) socket.send(start.snapshot);
    for (const entry of start.entries) socket.send(entry.text);
    if (start.resumed) send(socket, { type: 'resumed', from: start.from, seq: start.seq });
    clients.set(socket, request.socket);
    for (const reply of held) send(socket, reply);
    held = null;
  });

  function send(socket: WebSocket, message: ServerMessage): void {
    socket.send(JSON.stringify(message));
  }

  function handleClientMessage(text: string | null, mayControl: boolean): ServerMessage | null {
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    if (message === undefined) return { type: 'error', code: 'BAD_MESSAGE', message: 'messages must be JSON text' };
    if (!validateClientMessage.Check(message)) {
      const ref = (message as { ref?: unknown } | null)?.ref;
      return {
        type: 'error',
        ...(typeof ref === 'string' ? { ref } : {}),
        code: 'BAD_MESSAGE',
        message: describeErrors(validateClientMessage, message),
      };
    }
    const { ref, id, command } = message as ClientMessage;
    const withRef = ref === undefined ? {} : { ref };
    if (!mayControl) return { type: 'error', ...withRef, code: 'FORBIDDEN', message: 'this account may not control devices' };
    const outcome = app.commands.send(id, command);
    if (!outcome.ok) return { type: 'error', ...withRef, code: outcome.code, message: outcome.message };
    return ref === undefined ? null : { type: 'ack', ref, id, command: outcome.record };
  }
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Principal } from '../auth/accounts.js';
import { Unauthenticated } from '../errors.js';
import { catchUp } from '../journal/catch-up.js';
import type { JournalEntry } from '../journal/journal.js';
import { MAX_BUFFERED_BYTES, SinceQuery } from './live.js';

/** Most events one long-poll answer carries; the client polls again for the rest. */
const POLL_LIMIT = 1000;
const MAX_POLL_SECONDS = 120;
const RECONNECT_MS = 1000;

const PollQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'last sequence number seen; omit to start from a snapshot' })),
  timeout: Type.Integer({ minimum: 0, maximum: MAX_POLL_SECONDS, default: 30, description: 'seconds to wait when nothing is new' }),
});

/** Server-Sent Events and long polling: the same journal as the WebSocket, for simpler clients. */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/events',
    // Entries are already JSON text: sent as they are, never serialised again.
    { sse: { kind: 'only', serializer: (data: unknown) => String(data) }, schema: { querystring: SinceQuery } },
    async (request, reply) => {
      const lastEventId = Number(reply.sse.lastEventId ?? Number.NaN);
      const since = Number.isSafeInteger(lastEventId) && lastEventId >= 0 ? lastEventId : request.query.since;
      // Commit the response as an event stream now: a resume with nothing missed writes no event yet.
      reply.sse.sendHeaders();
      const stream = new EventStream(reply);
      const start = await catchUp(app.journal, app, since);
      if (!start.resumed) stream.push({ seq: start.seq, text: start.snapshot });
      for (const entry of start.entries) stream.push(entry);
      const unsubscribe = app.journal.subscribe((entries) => {
        for (const entry of entries) stream.push(entry);
      });
      endWithAccess(app, request, reply, unsubscribe);
      reply.sse.keepAlive();
    },
  );

  app.get('/events/poll', { schema: { querystring: PollQuery } }, async (request, reply) => {
    const { after, timeout } = request.query;
    const start = await catchUp(app.journal, app, after, POLL_LIMIT);
    reply.type('application/json');
    if (!start.resumed) return pollAnswer(start.entries.at(-1)?.seq ?? start.seq, start.entries, start.snapshot);
    if (start.entries.length > 0 || timeout === 0) return pollAnswer(start.seq, start.entries);
    await nextEvent(timeout * 1000, request.raw, request.principal!);
    // A poll waiting when its credential was revoked answers as any request without one would.
    if (!app.auth.identify(request)) throw new Unauthenticated();
    const entries = app.journal.readSince(start.from, POLL_LIMIT) ?? [];
    return pollAnswer(entries.at(-1)?.seq ?? start.seq, entries);
  });

  /** Resolves when an event is committed, the timeout passes, the client goes away or its access ends. */
  function nextEvent(timeoutMs: number, request: NodeJS.EventEmitter, principal: Principal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe();
        forget();
        request.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const unsubscribe = app.journal.subscribe(done);
      const forget = app.auth.streams.add(principal, done);
      request.once('close', done);
    });
  }
};

/**
 * Ends an event stream when its credential is revoked or its role lowered (EventSource then
 * reconnects, and is refused or given what the new role allows); `cleanup` runs when it closes.
 */
export function endWithAccess(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, cleanup: () => void): void {
  const forget = app.auth.streams.add(request.principal!, () => reply.sse.close());
  reply.sse.onClose(() => {
    cleanup();
    forget();
  });
}

function pollAnswer(seq: number, entries: readonly JournalEntry[], snapshot?: string): string {
  return `{"seq":${seq},${snapshot === undefined ? '' : `"snapshot":${snapshot},`}"events":[${entries.map((e) => e.text).join(',')}]}`;
}

/**
 * One SSE client: events are written one at a time, waiting for the socket to drain, so a
 * slow reader costs a bounded queue. Past that it is closed; EventSource reconnects with
 * Last-Event-ID and resumes exactly where it stopped.
 */
class EventStream {
  private queue: JournalEntry[] = [];
  private queuedBytes = 0;
  private pumping = false;
  private first = true;

  constructor(private readonly reply: FastifyReply) {}

  push(entry: JournalEntry): void {
    if (!this.reply.sse.isConnected) return;
    if (this.queuedBytes + this.reply.raw.writableLength > MAX_BUFFERED_BYTES) {
      this.reply.log.warn({ seq: entry.seq }, 'closing an event stream that does not keep up');
      this.queue = [];
      this.reply.sse.close();
      return;
    }
    this.queue.push(entry);
    this.queuedBytes += entry.text.length;
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length > 0 && this.reply.sse.isConnected) {
        const entry = this.queue.shift()!;
        this.queuedBytes -= entry.text.length;
        // A restarting hub is back within a second or two; EventSource's default wait is longer.
        const retry = this.first ? { retry: RECONNECT_MS } : {};
        this.first = false;
        await this.reply.sse.send({ id: String(entry.seq), data: entry.text, ...retry });
      }
    } catch (error) {
      // The client went away mid-write; it resumes from its Last-Event-ID.
      this.reply.log.debug({ err: error }, 'event stream write ended');
    }
    this.pumping = false;
  }
}

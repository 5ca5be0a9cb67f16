import ws from 'ws';
import type { JournalEntry } from '../journal/journal.js';

/**
 * Bytes per socket write. A client falling behind is noticed within one chunk of the limit
 * (see MAX_BUFFERED_BYTES), and a flood never becomes one write of megabytes.
 */
const CHUNK_BYTES = 256 * 1024;
const TEXT_FRAME = { fin: true, opcode: 1, mask: false, rsv1: false, readOnly: false } as const;

/** ws's own framer (exported by ws, not described by its types): header and payload, unmasked. */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: typeof TEXT_FRAME): Buffer[] } };

/**
 * A committed batch as WebSocket text frames, one event per message as the protocol says,
 * framed once and joined into a few large buffers. Server frames are not masked, so the bytes
 * are the same for every client: each client costs one socket write per chunk, not a frame
 * header and a write per event.
 */
export function framedChunks(entries: readonly JournalEntry[]): Buffer[] {
  const chunks: Buffer[] = [];
  let parts: Buffer[] = [];
  let bytes = 0;
  for (const entry of entries) {
    for (const part of Sender.frame(Buffer.from(entry.text), TEXT_FRAME)) {
      parts.push(part);
      bytes += part.length;
    }
    if (bytes >= CHUNK_BYTES) {
      chunks.push(Buffer.concat(parts, bytes));
      parts = [];
      bytes = 0;
    }
  }
  if (bytes > 0) chunks.push(Buffer.concat(parts, bytes));
  return chunks;
}

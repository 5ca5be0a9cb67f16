import type { Duplex } from 'node:stream';

/** What the guard says when it closes a connection. */
export type PacketProblem = { reason: 'too-large'; bytes: number } | { reason: 'malformed-length' };

/**
 * Watches a transport stream (TCP socket, WebSocket stream) that aedes reads, following only
 * each packet's fixed header. aedes 1.2.0 has no maximum packet size and mqtt-packet buffers
 * a packet whole before parsing it, so a client announcing a 64 MiB PUBLISH would make the
 * hub hold 64 MiB; here the connection closes as soon as the remaining length is read,
 * before the body arrives. MQTT 3.1.1 has no way to tell the client why: "the Server MUST
 * close the Network Connection" is all it can do.
 *
 * It listens to 'data', which a stream read with `read()` (as aedes reads) also emits for
 * every chunk it hands out: it sees every byte, adds no stream of its own per connection
 * and leaves the stream paused.
 */
export function guardPackets(stream: Duplex, maxBytes: number, onProblem: (problem: PacketProblem) => void): void {
  const scanner = new PacketScanner(maxBytes);
  stream.on('data', (chunk: Buffer) => {
    // Chunks already read from the socket may still come after a problem closed it.
    if (stream.destroyed) return;
    const problem = scanner.scan(chunk);
    if (!problem) return;
    onProblem(problem);
    stream.destroy();
  });
}

/** Packet boundaries through a byte stream, from each fixed header's remaining length. */
export class PacketScanner {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;

  constructor(private readonly maxBytes: number) {}

  /** Follows `chunk`; the first problem met, if any. */
  scan(chunk: Buffer): PacketProblem | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'body') {
        const taken = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= taken;
        i += taken;
        if (this.bodyLeft === 0) this.state = 'type';
      } else if (this.state === 'type') {
        this.state = 'length';
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        i++;
      } else {
        const problem = this.readLengthByte(chunk[i]!);
        i++;
        if (problem) return problem;
      }
    }
    return null;
  }

  /** [MQTT-2.2.3] remaining length: 7 bits a byte, least significant first, at most 4 bytes. */
  private readLengthByte(byte: number): PacketProblem | null {
    this.length += (byte & 0x7f) * this.multiplier;
    this.multiplier *= 128;
    this.lengthBytes++;
    if (this.length > this.maxBytes) return { reason: 'too-large', bytes: this.length };
    if (byte & 0x80) return this.lengthBytes === 4 ? { reason: 'malformed-length' } : null;
    this.bodyLeft = this.length;
    this.state = this.length === 0 ? 'type' : 'body';
    return null;
  }
}

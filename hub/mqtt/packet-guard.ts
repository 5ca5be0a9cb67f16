import type { Client } from 'aedes';
import { Duplex } from 'node:stream';

/** What the guard says when it closes a connection. */
export type PacketProblem = { reason: 'too-large'; bytes: number } | { reason: 'malformed-length' };

/**
 * Sits between a transport stream (TCP socket, WebSocket stream) and `broker.handle`,
 * reading only each packet's fixed header. aedes 1.2.0 has no maximum packet size and
 * mqtt-packet buffers a packet whole before parsing it, so a client announcing a 64 MiB
 * PUBLISH would make the hub hold 64 MiB; here the connection closes as soon as the
 * remaining length is read, before the body arrives. MQTT 3.1.1 has no way to tell the
 * client why: "the Server MUST close the Network Connection" is all it can do.
 */
export class PacketGuard extends Duplex {
  private state: 'type' | 'length' | 'body' = 'type';
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;
  /** Set by aedes (`conn.client`) once it handles this stream. */
  declare client?: Client;

  constructor(
    private readonly inner: Duplex,
    private readonly maxBytes: number,
    /** The address of the peer, for limits and audit lines. */
    readonly remoteAddress: string,
    private readonly onProblem: (problem: PacketProblem) => void,
  ) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      // Chunks already read from the socket may still come after a problem closed it.
      if (this.destroyed || !this.scan(chunk)) return;
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.send(chunk, done);
  }

  /** mqtt-packet corks the stream and writes a packet in pieces: one write to the socket instead. */
  override _writev(chunks: { chunk: Buffer }[], done: (error?: Error | null) => void): void {
    this.send(Buffer.concat(chunks.map((c) => c.chunk)), done);
  }

  private send(data: Buffer, done: () => void): void {
    if (this.inner.write(data)) done();
    else this.inner.once('drain', done);
  }

  override _final(done: (error?: Error | null) => void): void {
    this.inner.end(done);
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.inner.destroy();
    done(error);
  }

  /** Follows packet boundaries through `chunk`; false (and the connection closed) on a problem. */
  private scan(chunk: Buffer): boolean {
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
        if (problem) {
          this.onProblem(problem);
          this.destroy();
          return false;
        }
      }
    }
    return true;
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

import { connect, type Socket } from 'node:net';
import { waitForEvent } from './wait.js';

/**
 * MQTT 3.1.1 packets built byte by byte, so a test can send what no well-behaved client
 * library would: the point is to see what the hub does with it. Strings may be given as
 * bytes, to send ill-formed UTF-8.
 */
type Text = string | Buffer;

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const utf8 = (text: Text) => (Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));
const str = (text: Text) => Buffer.concat([u16(utf8(text).length), utf8(text)]);

/** [MQTT-2.2.3] the remaining length as a variable byte integer. */
export function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

/** A packet of any type: its first byte, the remaining length, then `body` as is. */
export const frame = (firstByte: number, body: Buffer) => Buffer.concat([Buffer.from([firstByte]), remainingLength(body.length), body]);

export interface ConnectFields {
  clientId?: Text;
  clean?: boolean;
  username?: Text;
  password?: Text;
  will?: { topic: Text; payload?: string; qos: number; retain?: boolean };
}

export function connectPacket({ clientId = 'raw-client', clean = true, username, password, will }: ConnectFields = {}): Buffer {
  const flags =
    (username !== undefined ? 0x80 : 0) |
    (password !== undefined ? 0x40 : 0) |
    (will?.retain ? 0x20 : 0) |
    ((will?.qos ?? 0) << 3) |
    (will ? 0x04 : 0) |
    (clean ? 0x02 : 0);
  const parts = [str('MQTT'), Buffer.from([4, flags]), u16(60), str(clientId)];
  if (will) parts.push(str(will.topic), str(will.payload ?? ''));
  if (username !== undefined) parts.push(str(username));
  if (password !== undefined) parts.push(str(password));
  return frame(0x10, Buffer.concat(parts));
}

export function publishPacket(topic: Text, payload: string, options: { qos?: 0 | 1 | 2; messageId?: number } = {}): Buffer {
  const qos = options.qos ?? 0;
  const id = qos > 0 ? u16(options.messageId ?? 1) : Buffer.alloc(0);
  return frame(0x30 | (qos << 1), Buffer.concat([str(topic), id, Buffer.from(payload)]));
}

export function subscribePacket(filter: Text, messageId = 1): Buffer {
  return frame(0x82, Buffer.concat([u16(messageId), str(filter), Buffer.from([0])]));
}

export function unsubscribePacket(filters: Text[], messageId = 1): Buffer {
  return frame(0xa2, Buffer.concat([u16(messageId), ...filters.map(str)]));
}

const PINGRESP = Buffer.from([0xd0, 0x00]);

/** A TCP connection that records every byte the hub sends and whether it closed. */
export class RawConnection {
  private received = Buffer.alloc(0);
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      socket.emit('received');
    });
    socket.on('error', () => {});
    socket.once('close', () => {
      this.isClosed = true;
      socket.emit('received');
    });
  }

  static async open(mqttUrl: string): Promise<RawConnection> {
    const { hostname, port } = new URL(mqttUrl);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawConnection(socket);
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    return this.received;
  }

  /** The CONNACK return code once `bytes` holds a CONNACK, or null if the connection closed first. */
  async connackCode(): Promise<number | null> {
    await this.until((bytes) => bytes.length >= 4, 'a CONNACK');
    return this.received.length >= 4 && this.received[0] === 0x20 ? this.received[3]! : null;
  }

  /** Waits until `enough` holds for what was received, or the connection closed. */
  async until(enough: (bytes: Buffer) => boolean, what: string): Promise<Buffer> {
    if (!enough(this.received) && !this.isClosed) {
      await waitForEvent<void>(
        (listener) => {
          this.socket.on('received', listener);
          return () => this.socket.off('received', listener);
        },
        () => enough(this.received) || this.isClosed,
        what,
      );
    }
    return this.received;
  }

  /** Resolves once the hub answers a PINGREQ: the connection is open and served. */
  async ping(): Promise<void> {
    const from = this.received.length;
    this.send(Buffer.from([0xc0, 0x00]));
    const bytes = await this.until((b) => b.subarray(from).includes(PINGRESP) || this.isClosed, 'the PINGRESP');
    if (!bytes.subarray(from).includes(PINGRESP)) throw new Error('the hub closed the connection instead of answering PINGREQ');
  }

  /** Resolves once the hub closed the connection; rejects if it stays open (see wait.ts). */
  async closed(): Promise<void> {
    await this.until(() => false, 'the hub to close the connection');
  }

  /** Sends what is left and ends our side, as a client that gives up mid-packet. */
  end(bytes: Buffer): void {
    this.socket.end(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A connection that has been accepted (CONNACK 0) with `fields`. */
export async function connectRaw(mqttUrl: string, fields: ConnectFields = {}): Promise<RawConnection> {
  const connection = await RawConnection.open(mqttUrl);
  connection.send(connectPacket(fields));
  const code = await connection.connackCode();
  if (code !== 0) throw new Error(`CONNACK ${code}`);
  return connection;
}

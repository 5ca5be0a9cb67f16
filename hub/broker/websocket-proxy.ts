import { connect } from 'node:net';
import { pipeline } from 'node:stream';
import type { WebSocket } from 'ws';
import { createWebSocketStream } from 'ws';

/**
 * MQTT over WebSocket on the hub's HTTP port, carried to a broker's plain TCP listener: the
 * bytes inside the WebSocket messages are the MQTT packets, which need no framing of their
 * own ([MQTT-6.0.0] a message may hold several packets or part of one). Either side closing
 * closes the other.
 */
export function proxyToBroker(socket: WebSocket, broker: { host: string; port: number }): void {
  const tcp = connect({ host: broker.host, port: broker.port, noDelay: true });
  const ws = createWebSocketStream(socket);
  // One WebSocket message per TCP read, not per byte range the stream happens to split.
  ws._writev = (chunks, done) => socket.send(Buffer.concat(chunks.map((c) => c.chunk as Buffer)), done);
  pipeline(ws, tcp, ws, () => {
    tcp.destroy();
    ws.destroy();
  });
}

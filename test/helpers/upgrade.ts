import WebSocket from 'ws';

/** The HTTP status that refused a WebSocket upgrade, or 101 if it opened. */
export function upgradeStatus(url: string, headers: Record<string, string>, ca?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, ...(ca ? { ca } : {}) });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.once('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)));
  });
}

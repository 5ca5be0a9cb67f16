import fp from 'fastify-plugin';
import { chmodSync, lstatSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { Compile } from 'typebox/compile';
import { parseCredentialArgs, runCredentials } from '../cli/credentials-command.js';
import { backupTaken, hubSocketPath, MAX_REQUEST_BYTES, MAX_SOCKET_PATH_BYTES, SocketRequest, type CommandOutput } from '../cli/hub-socket.js';

const checkRequest = Compile(SocketRequest);

/** A client that sends no whole request within this is let go (the answer itself may take longer). */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The hub's socket in its data dir (cli/hub-socket.ts): runs the commands of `npm run backup`
 * and `npm run credentials` for them while the hub holds the database. A request that is not
 * one of them gets a clear refusal, and the hub goes on.
 */
export const hubSocketPlugin = fp<{ dataDir: string }>(
  async (app, { dataDir }) => {
    const log = app.log.child({ plugin: 'hubSocket' });
    const path = hubSocketPath(dataDir);
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
      log.warn({ path }, `the data dir's path is too long for the hub socket (${MAX_SOCKET_PATH_BYTES} bytes at most): npm run backup and npm run credentials cannot reach this hub while it runs`);
      return;
    }
    const answer = async (request: SocketRequest): Promise<CommandOutput> => {
      if (request.command === 'backup') {
        const backup = await app.backups.take();
        return { code: 0, stdout: backupTaken(app.backups.dir, backup), stderr: '' };
      }
      const parsed = parseCredentialArgs(request.args);
      return 'code' in parsed ? parsed : runCredentials(app.deviceCredentials, parsed.positionals, parsed.values);
    };
    const open = new Set<Socket>();
    const serve = (socket: Socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      const chunks: Buffer[] = [];
      let bytes = 0;
      const reply = (output: CommandOutput) => socket.end(JSON.stringify(output));
      const refuse = (why: string) => reply({ code: 2, stdout: '', stderr: `hearth: the hub refused the request: ${why}\n` });
      socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_REQUEST_BYTES) {
          socket.removeAllListeners('data');
          refuse(`longer than ${MAX_REQUEST_BYTES} bytes`);
          return;
        }
        chunks.push(chunk);
      });
      socket.on('end', () => {
        if (bytes > MAX_REQUEST_BYTES) return;
        // The request is whole; its answer may take long (a backup of a large database).
        socket.setTimeout(0);
        let request: unknown;
        try {
          request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          refuse('not JSON');
          return;
        }
        if (!checkRequest.Check(request)) {
          refuse('not a backup or credentials request');
          return;
        }
        answer(request).then(reply, (error: Error) => {
          log.error({ err: error, command: request.command }, 'a command on the hub socket failed');
          reply({ code: 1, stdout: '', stderr: `hearth ${request.command}: ${error.message}\n` });
        });
      });
    };
    if (await someoneListens(path)) {
      log.warn({ path }, 'another hub answers on this data dir\'s socket: this one does not take it');
      return;
    }
    const server = createServer({ allowHalfOpen: true }, serve);
    try {
      removeStaleSocket(path);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
      chmodSync(path, 0o600);
    } catch (error) {
      // A data dir on a file system without sockets (a FAT stick, some network shares): the
      // hub runs all the same; only the commands cannot reach it while it does.
      log.warn({ err: error, path }, 'the hub socket could not be made: npm run backup and npm run credentials cannot reach this hub while it runs');
      server.close();
      return;
    }
    app.addHook('onClose', async () => {
      // A command still waiting is cut off: the hub is going, and it must not wait on a client.
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(path, { force: true });
    });
  },
  { name: 'hubSocket', dependencies: ['backups', 'deviceCredentials'] },
);

/** Whether a process (another hub on the same data dir) accepts connections on `path`. */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** A socket left by a hub that was killed: a new one cannot be bound over it. Anything else there is the user's. */
function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) rmSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

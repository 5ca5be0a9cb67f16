import { connect } from 'node:net';
import { join } from 'node:path';
import { Type, type Static } from 'typebox';

/**
 * The hub's own socket in its data dir. While it runs, the hub holds its database alone
 * (store/sqlite.ts), so a command run beside it (`npm run backup`, `npm run credentials`)
 * hands its words to the hub here and prints what the hub answers. The data dir is 0700 and
 * the socket 0600: whoever may connect may read the database file anyway.
 */
export const hubSocketPath = (dataDir: string) => join(dataDir, 'hub.sock');

/** A Unix socket's path fits in 108 bytes on Linux, the terminating zero included. */
export const MAX_SOCKET_PATH_BYTES = 107;

export const SocketRequest = Type.Union([
  Type.Object({ command: Type.Literal('backup') }, { additionalProperties: false }),
  Type.Object({ command: Type.Literal('credentials'), args: Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 64 }) }, { additionalProperties: false }),
]);
export type SocketRequest = Static<typeof SocketRequest>;

/** What a command prints and its exit code, wherever it ran. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** A request is one line of JSON; a longer one is refused unread. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/**
 * A hub that takes longer than this to answer is reported, not waited on forever. Generous:
 * a backup of a database of gigabytes on an SD card takes minutes (the copy, then its check).
 */
const ANSWER_TIMEOUT_MS = 30 * 60_000;

/**
 * Sends `request` to the hub running on `dataDir` and resolves with its answer, or with
 * null when no hub listens there (none runs, or one was killed and left its socket).
 */
export function askRunningHub(dataDir: string, request: SocketRequest): Promise<CommandOutput | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(hubSocketPath(dataDir));
    const chunks: Buffer[] = [];
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => socket.destroy(new Error(`the hub did not answer within ${ANSWER_TIMEOUT_MS / 60_000} minutes`)));
    socket.on('connect', () => socket.end(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(null);
      else reject(error);
    });
    socket.on('close', (hadError) => {
      if (hadError) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommandOutput);
      } catch {
        reject(new Error('the hub closed its socket without an answer'));
      }
    });
  });
}

/** What `npm run backup` prints for a copy taken into `dir`, by the hub or by the command. */
export const backupTaken = (dir: string, backup: { name: string; bytes: number }) => `backup ${join(dir, backup.name)} (${backup.bytes} bytes)\n`;

/** Prints a command's output as the command itself would have, and gives its exit code. */
export function printOutput({ code, stdout, stderr }: CommandOutput): number {
  if (stdout) process.stdout.write(stdout);
  if (stderr) process.stderr.write(stderr);
  return code;
}

import { parseArgs } from 'node:util';
import { CredentialError, type DeviceCredentials, type IssuedCredential } from '../mqtt/credentials.js';
import type { CommandOutput } from './hub-socket.js';

export const USAGE = `usage: npm run credentials -- <command> [options]
  add <name> [--topic T ...]  make a credential for device <name>; the password is shown once
  list                        the credentials, without passwords
  revoke <username>           refuse that username from its next connection on (a hub-run Mosquitto disconnects it at once)
options:
  --topic T             an MQTT topic filter the device may use (repeat; default: its own topics)
  --data-dir DIR        the hub's data dir (env HUB_DATA_DIR, default ./data)
  --discovery-prefix P  Home Assistant discovery prefix for default topics (env HUB_DISCOVERY_PREFIX, default homeassistant)
  --json                print JSON`;

export const options = {
  topic: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  'discovery-prefix': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function describeIssued(issued: IssuedCredential): string {
  const lines = [`username: ${issued.username}`, `password: ${issued.password}`, `topics:   ${issued.topics.join('  ')}`, 'The password is not stored and cannot be shown again.'];
  // An example topic the device may publish to, when the first filter gives one plainly.
  const example = issued.topics[0]!.replace(/#$/, 'state');
  if (!/[+#]/.test(example)) lines.push(`Try it: mosquitto_pub -h <hub> -u ${issued.username} -P '<password>' -t ${example} -m '{}'`);
  return lines.join('\n');
}

/** The words of `npm run credentials`, parsed; or what to print when they are not right. */
export function parseCredentialArgs(argv: string[]): { values: Values; positionals: string[] } | CommandOutput {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
    return { values, positionals };
  } catch (error) {
    return { code: 2, stdout: '', stderr: `${(error as Error).message}\n${USAGE}\n` };
  }
}

/**
 * Runs the command on `credentials`: the hub's own while it runs (asked over its socket), or
 * the CLI's on the database file when no hub holds it. Prints nothing itself.
 */
export function runCredentials(credentials: DeviceCredentials, [command, argument]: string[], values: Values): CommandOutput {
  const answer = (json: unknown, text: string): CommandOutput => ({ code: 0, stdout: `${values.json ? JSON.stringify(json) : text}\n`, stderr: '' });
  const refuse = (code: number, message: string): CommandOutput => ({ code, stdout: '', stderr: `${message}\n` });
  try {
    if (command === 'add' && argument) {
      const issued = credentials.create(argument, values.topic);
      return answer(issued, describeIssued(issued));
    }
    if (command === 'list') {
      const list = credentials.list();
      return answer(list, list.length === 0 ? 'no credentials' : list.map((c) => `${c.username}  (${c.name})  ${c.topics.join('  ')}`).join('\n'));
    }
    if (command === 'revoke' && argument) {
      if (!credentials.revoke(argument)) return refuse(1, `no credential "${argument}"`);
      return answer({ revoked: argument }, `revoked ${argument}`);
    }
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    return refuse(1, error.message);
  }
  return refuse(2, USAGE);
}

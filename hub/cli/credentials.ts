/**
 * MQTT device credentials, on the hub's database; works while the hub runs (SQLite in WAL
 * mode takes a second process, and the hub reads credentials at every connection):
 *   npm run credentials -- add <name> [--topic T ...] [--data-dir DIR] [--json]
 *   npm run credentials -- list [--data-dir DIR] [--json]
 *   npm run credentials -- revoke <username> [--data-dir DIR]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyOutsideHub, brokerAdmin } from '../broker/cli-sync.js';
import { createCommands, revokeCommands, type Command } from '../broker/dynsec.js';
import { CredentialError, DeviceCredentials, type IssuedCredential } from '../mqtt/credentials.js';
import { openDatabase } from '../store/database.js';

const USAGE = `usage: npm run credentials -- <command> [options]
  add <name> [--topic T ...]  make a credential for device <name>; the password is shown once
  list                        the credentials, without passwords
  revoke <username>           refuse that username from its next connection on (a hub-run Mosquitto disconnects it at once)
options:
  --topic T             an MQTT topic filter the device may use (repeat; default: its own topics)
  --data-dir DIR        the hub's data dir (env HUB_DATA_DIR, default ./data)
  --discovery-prefix P  Home Assistant discovery prefix for default topics (env HUB_DISCOVERY_PREFIX, default homeassistant)
  --json                print JSON`;

const options = {
  topic: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  'discovery-prefix': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function describeIssued(issued: IssuedCredential): string {
  const lines = [`username: ${issued.username}`, `password: ${issued.password}`, `topics:   ${issued.topics.join('  ')}`, 'The password is not stored and cannot be shown again.'];
  // An example topic the device may publish to, when the first filter gives one plainly.
  const example = issued.topics[0]!.replace(/#$/, 'state');
  if (!/[+#]/.test(example)) lines.push(`Try it: mosquitto_pub -h <hub> -u ${issued.username} -P '<password>' -t ${example} -m '{}'`);
  return lines.join('\n');
}

/** Runs one command; returns the process exit code. */
function run(credentials: DeviceCredentials, [command, argument]: string[], values: Values): number {
  const print = (json: unknown, text: string) => console.log(values.json ? JSON.stringify(json) : text);
  if (command === 'add' && argument) {
    const issued = credentials.create(argument, values.topic);
    print(issued, describeIssued(issued));
    return 0;
  }
  if (command === 'list') {
    const list = credentials.list();
    print(list, list.length === 0 ? 'no credentials' : list.map((c) => `${c.username}  (${c.name})  ${c.topics.join('  ')}`).join('\n'));
    return 0;
  }
  if (command === 'revoke' && argument) {
    if (!credentials.revoke(argument)) {
      console.error(`no credential "${argument}"`);
      return 1;
    }
    print({ revoked: argument }, `revoked ${argument}`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? env.HUB_DATA_DIR ?? './data');
  const { db } = openDatabase(dataDir);
  // A Mosquitto keeps a copy of the credentials (the hub's, or one the hub administers): it is told too.
  const changes: Command[] = [];
  let code: number;
  try {
    const credentials = new DeviceCredentials(db, values['discovery-prefix'] ?? env.HUB_DISCOVERY_PREFIX ?? 'homeassistant');
    credentials.onCreate((issued) => changes.push(...createCommands(issued, credentials.discoveryPrefix)));
    credentials.onRevoke((username) => changes.push(...revokeCommands(username)));
    code = run(credentials, positionals, values);
  } catch (error) {
    if (!(error instanceof CredentialError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    db.close();
  }
  const admin = changes.length > 0 ? brokerAdmin(dataDir, env) : null;
  const problem = admin && (await applyOutsideHub(admin, changes));
  if (problem) console.error(problem);
  return problem && !admin.managed ? 1 : code;
}

process.exitCode = await main(process.argv.slice(2), process.env);

/**
 * MQTT device credentials, on the hub's database; while the hub runs it holds that database
 * alone, and the command is run by the hub itself, asked over its socket (cli/hub-socket.ts):
 *   npm run credentials -- add <name> [--topic T ...] [--data-dir DIR] [--json]
 *   npm run credentials -- list [--data-dir DIR] [--json]
 *   npm run credentials -- revoke <username> [--data-dir DIR]
 */
import { resolve } from 'node:path';
import { applyOutsideHub, brokerAdmin } from '../broker/cli-sync.js';
import { createCommands, revokeCommands, type Command } from '../broker/dynsec.js';
import { DeviceCredentials } from '../mqtt/credentials.js';
import { openDatabase } from '../store/database.js';
import { parseCredentialArgs, runCredentials } from './credentials-command.js';
import { askHubFirst } from './data-dir.js';
import { printOutput } from './hub-socket.js';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseCredentialArgs(argv);
  if ('code' in parsed) return printOutput(parsed);
  const { values, positionals } = parsed;
  const dataDir = resolve(values['data-dir'] ?? env.HUB_DATA_DIR ?? './data');
  // A running hub makes the change itself, and tells its broker (or the Mosquitto it runs) at once.
  const answered = await askHubFirst(dataDir, { command: 'credentials', args: argv });
  if (answered) return printOutput(answered);
  const { db } = openDatabase(dataDir);
  // A Mosquitto keeps a copy of the credentials (the hub's, or one the hub administers): it is told too.
  const changes: Command[] = [];
  let code: number;
  try {
    const credentials = new DeviceCredentials(db, values['discovery-prefix'] ?? env.HUB_DISCOVERY_PREFIX ?? 'homeassistant');
    credentials.onCreate((issued) => changes.push(...createCommands(issued, credentials.discoveryPrefix)));
    credentials.onRevoke((username) => changes.push(...revokeCommands(username)));
    code = printOutput(runCredentials(credentials, positionals, values));
  } finally {
    db.close();
  }
  const admin = changes.length > 0 ? brokerAdmin(dataDir, env) : null;
  const problem = admin && (await applyOutsideHub(admin, changes));
  if (problem) console.error(problem);
  return problem && !admin.managed ? 1 : code;
}

process.exitCode = await main(process.argv.slice(2), process.env);

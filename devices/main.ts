/**
 * Runs simulated devices against any MQTT broker:
 *   npm run devices -- --url mqtt://127.0.0.1:1883 --count 50 [--prefix sim] [--tick-ms 5000] [--username U --password P]
 * Without --count it runs the demo home. SIGINT/SIGTERM make every device leave cleanly.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PREFIX, startDemoHome, type DemoHome } from './demo-home.js';
import { DEFAULT_TICK_MS } from './simulated-device.js';

const DEFAULT_URL = 'mqtt://127.0.0.1:1883';
const LISTED_DEVICES = 20;

const USAGE = `usage: node dist/devices/main.js [--url URL] [--count N] [--prefix P] [--tick-ms MS] [--username U --password P]
  --url      broker URL (env HEARTH_MQTT_URL, default ${DEFAULT_URL})
  --username MQTT user name every device connects with (env HEARTH_MQTT_USERNAME)
  --password its password (env HEARTH_MQTT_PASSWORD)
  --count    N numbered devices cycling through every kind (default: the demo home)
  --prefix   id prefix of numbered devices (default ${DEFAULT_PREFIX})
  --tick-ms  milliseconds between sensor reports, 0 for none (default ${DEFAULT_TICK_MS})`;

interface Settings {
  url: string;
  count?: number;
  prefix: string;
  tickMs: number;
  credentials?: { username: string; password: string };
}

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) throw new Error(`${flag}: invalid value "${text}" (expected a whole number >= 0)`);
  return value;
}

function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      count: { type: 'string' },
      prefix: { type: 'string' },
      'tick-ms': { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const count = wholeNumber('--count', values.count);
  const username = values.username ?? env.HEARTH_MQTT_USERNAME;
  const password = values.password ?? env.HEARTH_MQTT_PASSWORD;
  // [MQTT-3.1.2-22] a password needs a user name; a user name alone would only be refused later.
  if ((username === undefined) !== (password === undefined)) throw new Error('--username and --password go together');
  return {
    url: values.url ?? env.HEARTH_MQTT_URL ?? DEFAULT_URL,
    ...(count === undefined ? {} : { count }),
    prefix: values.prefix ?? DEFAULT_PREFIX,
    tickMs: wholeNumber('--tick-ms', values['tick-ms']) ?? DEFAULT_TICK_MS,
    ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
  };
}

function describe(home: DemoHome, url: string): string {
  const { devices } = home;
  if (devices.length <= LISTED_DEVICES) {
    return [`${devices.length} simulated devices on ${url}:`, ...devices.map((d) => `  ${d.id}  ${d.name} (${d.kind})`)].join('\n');
  }
  const perKind = new Map<string, number>();
  for (const device of devices) perKind.set(device.kind, (perKind.get(device.kind) ?? 0) + 1);
  const summary = [...perKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
  return `${devices.length} simulated devices on ${url} (${summary}), first ${devices[0]!.id}, last ${devices.at(-1)!.id}`;
}

/**
 * The first signal stops the devices cleanly, also halfway through starting thousands of
 * them; a second one gives up waiting.
 */
function stopOnSignal(starting: AbortController, home: Promise<DemoHome>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`${signal}: stopping devices`);
    starting.abort(new Error(`stopped by ${signal}`));
    home
      .then((started) => started.stop())
      .then(
        () => process.exit(0),
        (error: Error) => {
          // An aborted start has already stopped what it started.
          if (starting.signal.reason === error) process.exit(0);
          console.error(`stopping devices failed: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function main(): Promise<void> {
  let settings: Settings | 'help';
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (settings === 'help') return console.log(USAGE);
  const { url, credentials, ...rest } = settings;
  const starting = new AbortController();
  const home = startDemoHome({ ...rest, url, ...(credentials ? { mqttOptions: credentials } : {}), signal: starting.signal, log: (message) => console.log(message) });
  stopOnSignal(starting, home);
  // If a signal aborted the start, its handler exits once the devices are stopped.
  const started = await home.catch((error: unknown) => (starting.signal.aborted ? null : Promise.reject(error)));
  if (!started) return;
  console.log(describe(started, url));
  // Device timers are unref'ed; this keeps the process alive until a signal arrives.
  setInterval(() => {}, 1 << 30);
}

main().catch((error: Error) => {
  console.error(`simulated devices failed to start: ${error.message}`);
  process.exit(1);
});

import { buildApp } from './app.js';
import { loadConfig } from './config.js';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

const result = loadConfig(process.argv.slice(2), process.env);
if (!result.ok) {
  console.error(`hearth: invalid configuration\n${result.errors.map((e) => `  ${e}`).join('\n')}`);
  process.exit(2);
}
const { config } = result;
// People read a terminal; machines (systemd's journal, log shippers) read JSON lines.
const logger = process.stdout.isTTY
  ? { level: config.logLevel, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
  : { level: config.logLevel };
const app = await buildApp(config, { logger }).catch((error: Error) => {
  // What is missing or wrong in the setup (e.g. `--broker mosquitto` without Mosquitto), said plainly.
  console.error(`hearth: cannot start: ${error.message}`);
  process.exit(1);
});

try {
  await app.listen({ port: config.httpPort, host: config.host });
} catch (error) {
  app.log.fatal({ err: error }, 'hub failed to start');
  await app.close().catch(() => {});
  process.exit(1);
}

const http = app.server.address();
const httpPort = typeof http === 'object' && http ? http.port : config.httpPort;
console.log(`Hearth is running: dashboard ${config.tlsCert ? "https" : "http"}://localhost:${httpPort}  ${brokerBanner()}  data ${config.dataDir}`);
const setupCode = app.auth.setupCode();
if (setupCode) {
  console.log(`First start: open ${config.tlsCert ? 'https' : 'http'}://localhost:${httpPort} and create the owner account with the setup code ${setupCode.code}. Until then nothing is shown to anyone.`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    app.log.error('shutdown timed out; exiting');
    process.exit(1);
  }, SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

/** Where devices connect: the embedded broker's ports, or the external broker the hub uses. */
function brokerBanner(): string {
  const external = app.mqtt.externalBroker();
  if (external) return `MQTT broker ${external.url} (external)`;
  const tls = app.mqtt.tlsAddress();
  return `MQTT mqtt://localhost:${app.mqtt.address()?.port ?? '-'}${tls ? `  MQTTS mqtts://localhost:${tls.port}` : ''}`;
}

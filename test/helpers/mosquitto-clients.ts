import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import mqtt, { type IClientOptions } from 'mqtt';

/**
 * Debian's mosquitto_pub (`apt-get install -y mosquitto-clients`), the reference MQTT client.
 * Without it, messages go through MQTT.js instead, with a warning, unless
 * HEARTH_REQUIRE_MOSQUITTO=1 (as in CI) makes that a failure.
 */
const BINARY = ['/usr/bin/mosquitto_pub', '/usr/local/bin/mosquitto_pub'].find((p) => existsSync(p));

if (!BINARY) {
  const message = 'mosquitto_pub not found (apt-get install -y mosquitto-clients)';
  if (process.env.HEARTH_REQUIRE_MOSQUITTO === '1') throw new Error(`the reference client is required but ${message}`);
  console.warn(`${message}: publishing with MQTT.js instead`);
}

export interface MosquittoOptions {
  retain?: boolean;
  qos?: 0 | 1;
  username?: string;
  password?: string;
}

/** A user name comes with a client id its credential owns (see hub/mqtt/client-ids.ts). */
const credentialArgs = ({ username, password }: MosquittoOptions) => [
  ...(username ? ['-u', username, '-i', `${username}-${randomUUID().slice(0, 8)}`] : []),
  ...(password ? ['-P', password] : []),
];

/** Publishes one message to a hub on loopback with mosquitto_pub. */
export function mosquittoPub(mqttUrl: string, topic: string, message: string, options: MosquittoOptions = {}): Promise<void> {
  if (!BINARY) return publishWithMqttJs(mqttUrl, topic, message, options);
  const { port } = new URL(mqttUrl);
  const args = ['-h', '127.0.0.1', '-p', port, '-t', topic, '-q', String(options.qos ?? 1), ...(options.retain ? ['-r'] : []), ...credentialArgs(options)];
  // An empty message needs -n: `-m ''` is refused by some versions.
  args.push(...(message === '' ? ['-n'] : ['-m', message]));
  return new Promise((resolve, reject) => {
    execFile(BINARY, args, { timeout: 10_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`mosquitto_pub failed: ${stderr || error.message}`)) : resolve()));
  });
}

const mqttJsCredentials = ({ username, password }: MosquittoOptions): IClientOptions => ({ ...(username ? { username } : {}), ...(password ? { password } : {}) });

async function publishWithMqttJs(url: string, topic: string, message: string, options: MosquittoOptions): Promise<void> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...mqttJsCredentials(options) });
  await client.publishAsync(topic, message, { retain: options.retain ?? false, qos: options.qos ?? 1 });
  await client.endAsync();
}

const SUB_BINARY = BINARY?.replace(/_pub$/, '_sub');

/**
 * Subscribes to `filter` with mosquitto_sub and resolves with the first message as
 * `topic payload`, or with what mosquitto_sub said when it got none (a denied
 * subscription, a refused connection). `publish` runs once the subscription is answered.
 */
export function mosquittoSubFirst(mqttUrl: string, filter: string, publish: () => Promise<void>, options: MosquittoOptions = {}): Promise<string> {
  if (!SUB_BINARY) return subscribeWithMqttJs(mqttUrl, filter, publish, options);
  const { port } = new URL(mqttUrl);
  // -d prints the SUBACK, which says when to publish; -W bounds a wait for nothing.
  const args = ['-d', '-h', '127.0.0.1', '-p', port, '-t', filter, '-v', '-C', '1', '-W', '10', ...credentialArgs(options)];
  return new Promise((resolve, reject) => {
    // stdbuf: mosquitto_sub's debug lines are block-buffered into a pipe, and the SUBACK line is needed now.
    const child = execFile('stdbuf', ['-oL', SUB_BINARY, ...args], { timeout: 15_000 }, (error, stdout, stderr) => {
      const message = stdout.split('\n').find((line) => line !== '' && !line.startsWith('Client ') && !line.startsWith('Subscribed'));
      if (message !== undefined) resolve(message);
      else if (stderr.trim()) resolve(stderr.trim());
      else reject(error ?? new Error('mosquitto_sub ended with nothing to say'));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (/Subscribed \(mid: \d+\): [012]\b/.test(chunk.toString())) publish().catch(reject);
    });
  });
}

async function subscribeWithMqttJs(url: string, filter: string, publish: () => Promise<void>, options: MosquittoOptions): Promise<string> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, ...mqttJsCredentials(options) }).catch((error: Error) => error);
  if (client instanceof Error) return `Connection error: ${client.message}`;
  try {
    const [granted] = await client.subscribeAsync(filter);
    if (granted?.qos === 128) return 'All subscription requests were denied.';
    const first = new Promise<string>((resolve) => client.once('message', (topic, payload) => resolve(`${topic} ${payload.toString()}`)));
    await publish();
    return await first;
  } finally {
    await client.endAsync();
  }
}

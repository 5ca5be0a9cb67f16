import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import mqtt from 'mqtt';

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

/** Publishes one message to a hub on loopback with mosquitto_pub. */
export function mosquittoPub(mqttUrl: string, topic: string, message: string, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
  if (!BINARY) return publishWithMqttJs(mqttUrl, topic, message, options);
  const { port } = new URL(mqttUrl);
  const args = ['-h', '127.0.0.1', '-p', port, '-t', topic, '-q', String(options.qos ?? 1), ...(options.retain ? ['-r'] : [])];
  // An empty message needs -n: `-m ''` is refused by some versions.
  args.push(...(message === '' ? ['-n'] : ['-m', message]));
  return new Promise((resolve, reject) => {
    execFile(BINARY, args, { timeout: 10_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`mosquitto_pub failed: ${stderr || error.message}`)) : resolve()));
  });
}

async function publishWithMqttJs(url: string, topic: string, message: string, options: { retain?: boolean; qos?: 0 | 1 }): Promise<void> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  await client.publishAsync(topic, message, { retain: options.retain ?? false, qos: options.qos ?? 1 });
  await client.endAsync();
}

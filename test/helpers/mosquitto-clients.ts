import { execFile } from 'node:child_process';

/** Debian's mosquitto_pub, the reference MQTT client, publishing to a hub on loopback. */
export function mosquittoPub(mqttUrl: string, topic: string, message: string, options: { retain?: boolean; qos?: 0 | 1 } = {}): Promise<void> {
  const { port } = new URL(mqttUrl);
  const args = ['-h', '127.0.0.1', '-p', port, '-t', topic, '-q', String(options.qos ?? 1), ...(options.retain ? ['-r'] : [])];
  // An empty message needs -n: `-m ''` is refused by some versions.
  args.push(...(message === '' ? ['-n'] : ['-m', message]));
  return new Promise((resolve, reject) => {
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`mosquitto_pub failed: ${stderr || error.message}`)) : resolve()));
  });
}

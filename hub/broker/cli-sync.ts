import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { splitCredentials } from './hub-client.js';
import { DynsecAdmin } from './dynsec-sync.js';
import type { Command } from './dynsec.js';

interface Admin {
  url: string;
  username?: string;
  password?: string;
  /** True for the Mosquitto the hub runs, which is given every credential again when it starts. */
  managed: boolean;
}

/**
 * Where a credential made or revoked outside the hub (the credentials CLI) must also go: the
 * Mosquitto a running hub runs (its data dir says how to reach it), or an existing Mosquitto
 * whose dynamic security the hub administers (HUB_MQTT_URL with HUB_MQTT_DYNSEC=1). Null: the
 * embedded broker, which reads the database at every connection.
 */
export function brokerAdmin(dataDir: string, env: NodeJS.ProcessEnv): Admin | null {
  const file = join(dataDir, 'mosquitto', 'admin.json');
  if (existsSync(file)) return { ...(JSON.parse(readFileSync(file, 'utf8')) as Omit<Admin, 'managed'>), managed: true };
  if (env.HUB_MQTT_URL && /^(1|true|yes|on)$/i.test(env.HUB_MQTT_DYNSEC ?? '')) return { ...splitCredentials(env.HUB_MQTT_URL), managed: false };
  return null;
}

/** Sends the commands over a connection of its own; resolves with what to tell the user, or null when done. */
export async function applyOutsideHub(admin: Admin, commands: readonly Command[]): Promise<string | null> {
  const client = await mqtt
    .connectAsync(admin.url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5_000, ...(admin.username ? { username: admin.username } : {}), ...(admin.password ? { password: admin.password } : {}) })
    .catch((error: Error) => error);
  if (client instanceof Error) {
    return admin.managed
      ? 'the hub is not running: it gives the change to Mosquitto when it starts'
      : `the broker at ${admin.url} was not reached (${client.message}): the change is in the hub's database only`;
  }
  try {
    await new DynsecAdmin(client).send(commands);
    return null;
  } catch (error) {
    return `the broker did not take the change: ${(error as Error).message}`;
  } finally {
    await client.endAsync();
  }
}

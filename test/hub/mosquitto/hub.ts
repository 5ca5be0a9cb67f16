import { expect } from 'vitest';
import type { MqttMessage } from '../../../hub/plugins/broker.js';
import { startHub, type StartOptions, type TestHub } from '../../helpers/hub.js';
import { waitForEvent } from '../../helpers/wait.js';

/** A test hub running Mosquitto, with credentials required. */
export const mosquittoHub = (options: StartOptions = {}) => startHub({ mqttAnonymous: false, ...options, config: { broker: 'mosquitto', ...options.config } });

/** A device credential made over REST, as the Access page makes it. */
export async function issue(hub: TestHub, name: string, topics?: string[]): Promise<{ username: string; password: string }> {
  const response = await hub.fetch(`${hub.httpUrl}/api/mqtt/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, ...(topics ? { topics } : {}) }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { username: string; password: string };
}

/** The first message the hub hears on `topic`. */
export const heard = (hub: TestHub, topic: string) =>
  waitForEvent<MqttMessage>((listener) => hub.app.mqtt.onMessage(listener), (m) => m.topic === topic, `the hub to hear ${topic}`).then((m) => m.payload.toString());


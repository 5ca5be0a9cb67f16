import type { IClientOptions } from 'mqtt';
import { LiveClient } from '../helpers/live-client.js';
import { startHub, type StartOptions } from '../helpers/hub.js';
import { connectMqtt } from '../helpers/mqtt.js';

/** A hub, a WebSocket client past its snapshot, and an MQTT client playing the device or bridge. */
export async function hubWithClient(options: StartOptions = {}, mqttOptions: IClientOptions = {}) {
  const hub = await startHub(options);
  const live = await LiveClient.connect(hub.wsUrl, hub.headers);
  await live.next('snapshot');
  return { hub, live, client: await connectMqtt(hub.mqttUrl, mqttOptions) };
}

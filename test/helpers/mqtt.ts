import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { waitForEvent } from './wait.js';

/**
 * A real MQTT.js client, connected (no automatic reconnect, so a test sees what happened).
 * With a user name and no client id, the id is one the credential owns: the user name and a dash.
 */
export async function connectMqtt(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  const ownId = options.username && options.clientId === undefined ? { clientId: `${options.username}-${randomUUID().slice(0, 8)}` } : {};
  const client = mqtt.connect(url, { reconnectPeriod: 0, ...ownId, ...options });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

/** The next message the client receives on `topic`. Subscribe first. */
export function nextMessage(client: MqttClient, topic: string): Promise<string> {
  return waitForEvent<[string, Buffer]>(
    (listener) => {
      const handler = (t: string, payload: Buffer) => listener([t, payload]);
      client.on('message', handler);
      return () => client.off('message', handler);
    },
    ([t]) => t === topic,
    `a message on ${topic}`,
  ).then(([, payload]) => payload.toString());
}

/** Resolves once `enough()` holds, checked after each message `client` receives. */
export async function untilMessages(client: MqttClient, enough: () => boolean, what: string): Promise<void> {
  if (enough()) return;
  await waitForEvent<void>(
    (listener) => {
      const counted = () => listener();
      client.on('message', counted);
      return () => client.off('message', counted);
    },
    enough,
    what,
  );
}

/** A plain on/off switch announced by a bare MQTT client, as a generic firmware would. */
export async function announceSwitch(client: MqttClient, id: string): Promise<void> {
  const config = {
    name: null,
    state_topic: `plain/${id}/state`,
    command_topic: `plain/${id}/set`,
    availability_topic: `plain/${id}/status`,
    unique_id: `${id}_switch`,
    device: { identifiers: [id], name: `Plain ${id}` },
  };
  await client.publishAsync(`homeassistant/switch/${id}/switch/config`, JSON.stringify(config), { retain: true, qos: 1 });
  await client.publishAsync(`plain/${id}/status`, 'online', { retain: true, qos: 1 });
}

/** A power meter: every reading is a new state event, handy for producing many of them. */
export async function announceMeter(client: MqttClient, id: string): Promise<(watts: number) => Promise<void>> {
  const config = {
    name: 'Power',
    state_topic: `plain/${id}/state`,
    value_template: '{{ value_json.power }}',
    unit_of_measurement: 'W',
    device_class: 'power',
    unique_id: `${id}_power`,
    device: { identifiers: [id], name: `Meter ${id}` },
  };
  await client.publishAsync(`homeassistant/sensor/${id}/power/config`, JSON.stringify(config), { retain: true, qos: 1 });
  return (watts) => client.publishAsync(`plain/${id}/state`, JSON.stringify({ power: watts })).then(() => undefined);
}

/**
 * A switch that behaves like firmware: it obeys commands on its set topic and reports the
 * new state, unless told to ignore them.
 */
export async function obedientSwitch(client: MqttClient, id: string, options: { ignore?: boolean } = {}): Promise<void> {
  await client.subscribeAsync(`plain/${id}/set`);
  client.on('message', (topic, payload) => {
    if (topic !== `plain/${id}/set` || options.ignore) return;
    void client.publishAsync(`plain/${id}/state`, payload.toString());
  });
  await announceSwitch(client, id);
}

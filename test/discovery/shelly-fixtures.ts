import type { MqttClient } from 'mqtt';

/**
 * Payloads of a Shelly Plus 1PM (Gen2), shaped and valued as in the Shelly Gen2 API docs
 * (shelly-api-docs.shelly.cloud/gen2): the `Shelly.GetDeviceInfo` example
 * (ComponentsAndServices/Shelly#shellygetdeviceinfo), the switch status example
 * (ComponentsAndServices/Switch#status), the input status (ComponentsAndServices/Input#status)
 * and the NotifyStatus frame (General/Notifications#notifystatus). Only the device id is ours.
 */
export const PREFIX = 'shellyplus1pm-441793d69718';

export const deviceInfo = {
  name: null,
  id: PREFIX,
  mac: '441793D69718',
  slot: 0,
  model: 'SNSW-001P16EU',
  gen: 2,
  fw_id: '20230912-082136/1.0.3-g6176478',
  ver: '1.0.3',
  app: 'Plus1PM',
  auth_en: false,
  auth_domain: null,
};

export const switchStatus = {
  id: 0,
  source: 'init',
  output: false,
  apower: 0,
  voltage: 233.1,
  current: 0,
  aenergy: { total: 0, by_minute: [0, 0, 0], minute_ts: 1654511972 },
  temperature: { tC: 41.6, tF: 106.9 },
};

export const fullStatus = {
  ble: {},
  cloud: { connected: false },
  'input:0': { id: 0, state: false },
  mqtt: { connected: true },
  'switch:0': switchStatus,
  sys: { mac: '441793D69718', restart_required: false, time: '16:06', unixtime: 1654511972, uptime: 10081 },
  wifi: { sta_ip: '192.168.2.147', status: 'got ip', ssid: 'Shelly', rssi: -52 },
};

export const notifyStatus = (params: Record<string, unknown>) => JSON.stringify({ src: PREFIX, dst: 'hearth-hub', method: 'NotifyStatus', params: { ts: 1631266595.43, ...params } });

/**
 * A Plus 1PM's RPC channel as its firmware runs it: it answers requests on `<src>/rpc`
 * (General/RPCChannels#mqtt) and keeps every request it was sent.
 */
export async function firmwareRpc(device: MqttClient, status: Record<string, unknown> = fullStatus): Promise<{ requests: Record<string, unknown>[] }> {
  const requests: Record<string, unknown>[] = [];
  const results: Record<string, unknown> = { 'Shelly.GetDeviceInfo': deviceInfo, 'Shelly.GetStatus': status, 'Switch.Set': { was_on: false } };
  await device.subscribeAsync(`${PREFIX}/rpc`);
  device.on('message', (topic, payload) => {
    if (topic !== `${PREFIX}/rpc`) return;
    const frame = JSON.parse(payload.toString()) as { id: number; src: string; method: string };
    requests.push(frame);
    void device.publishAsync(`${frame.src}/rpc`, JSON.stringify({ id: frame.id, src: PREFIX, dst: frame.src, result: results[frame.method] ?? {} }));
  });
  return { requests };
}

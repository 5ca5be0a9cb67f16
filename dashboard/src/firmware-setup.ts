/**
 * What to type into a device's firmware so it reaches this hub, per firmware: the topics its
 * credential must allow, the settings one by one, and a block to paste where the firmware
 * takes one. Pure data and functions: adding a firmware is one entry.
 *
 * Sources: Tasmota's MQTT docs (Configuration > Configure MQTT; FullTopic `%prefix%/%topic%/`;
 * SetOption19 0 selects Tasmota's own discovery), ESPHome's `mqtt:` component (broker,
 * username, password, discovery_prefix, topic_prefix), Shelly Gen2 `MQTT.SetConfig`
 * (server, client_id, user, pass, topic_prefix, rpc_ntf, status_ntf) and Zigbee2MQTT's
 * configuration.yaml (`mqtt.base_topic`, `server`, `user`, `password`).
 */

/** What the hub tells about its broker (GET /api/mqtt/setup), and where the browser found it. */
export interface HubBroker {
  host: string;
  port: number;
  discoveryPrefix: string;
  zigbee2mqttBaseTopic: string;
  shellyReplyTopic: string;
}

export interface DeviceLogin {
  username: string;
  password: string;
}

export interface Firmware {
  title: string;
  /** Where in the firmware the settings go. */
  where: string;
  topics(username: string, hub: HubBroker): string[];
  settings(login: DeviceLogin, hub: HubBroker): [label: string, value: string][];
  /** A block to paste (console command, YAML), if the firmware takes one. */
  snippet(login: DeviceLogin, hub: HubBroker): string;
}

export type FirmwareName = 'tasmota' | 'esphome' | 'shelly' | 'zigbee2mqtt';

const yaml = (lines: [string, string | number | boolean][], indent = '  ') => lines.map(([k, v]) => `${indent}${k}: ${typeof v === 'string' ? JSON.stringify(v) : v}`).join('\n');

export const FIRMWARES: Readonly<Record<FirmwareName, Firmware>> = {
  tasmota: {
    title: 'Tasmota',
    where: 'In the device\'s web page: Configuration, then Configure MQTT. Or paste the command into its Console.',
    topics: (u) => ['tasmota/discovery/+/config', 'tasmota/discovery/+/sensors', `tele/${u}/#`, `stat/${u}/#`, `cmnd/${u}/#`],
    settings: (l, h) => [['Host', h.host], ['Port', String(h.port)], ['User', l.username], ['Password', l.password], ['Topic', l.username], ['Full Topic', '%prefix%/%topic%/']],
    snippet: (l, h) => `Backlog MqttHost ${h.host}; MqttPort ${h.port}; MqttUser ${l.username}; MqttPassword ${l.password}; Topic ${l.username}; FullTopic %prefix%/%topic%/; SetOption19 0`,
  },
  esphome: {
    title: 'ESPHome',
    where: 'In the device\'s YAML: its name, and an mqtt: block (remove api: if Home Assistant is not used).',
    topics: (u, h) => [`${u}/#`, `${h.discoveryPrefix}/+/${u}/+/config`, `${h.discoveryPrefix}/+/${u}/config`],
    settings: (l, h) => [['Name', l.username], ['Broker', h.host], ['Port', String(h.port)], ['Username', l.username], ['Password', l.password], ['Discovery prefix', h.discoveryPrefix]],
    snippet: (l, h) =>
      `esphome:\n  name: ${l.username}\n\nmqtt:\n${yaml([['broker', h.host], ['port', h.port], ['username', l.username], ['password', l.password], ['discovery', true], ['discovery_prefix', h.discoveryPrefix], ['topic_prefix', l.username]])}`,
  },
  shelly: {
    title: 'Shelly (Gen2 and later)',
    where: 'In the device\'s web page: Settings, then MQTT. Turn on "RPC status notifications over MQTT" and "Generic status update over MQTT".',
    topics: (u, h) => [`${u}/#`, h.shellyReplyTopic],
    settings: (l, h) => [['Server', `${h.host}:${h.port}`], ['Client ID', l.username], ['Username', l.username], ['Password', l.password], ['MQTT prefix', l.username]],
    snippet: (l, h) =>
      JSON.stringify({ id: 1, method: 'MQTT.SetConfig', params: { config: { enable: true, server: `${h.host}:${h.port}`, client_id: l.username, user: l.username, pass: l.password, topic_prefix: l.username, rpc_ntf: true, status_ntf: true } } }),
  },
  zigbee2mqtt: {
    title: 'Zigbee2MQTT',
    where: 'In Zigbee2MQTT\'s configuration.yaml, then restart it. Hearth reads its device list; its Home Assistant integration is not needed.',
    topics: (_u, h) => [`${h.zigbee2mqttBaseTopic}/#`],
    settings: (l, h) => [['Base topic', h.zigbee2mqttBaseTopic], ['Server', `mqtt://${h.host}:${h.port}`], ['User', l.username], ['Password', l.password]],
    snippet: (l, h) => `mqtt:\n${yaml([['base_topic', h.zigbee2mqttBaseTopic], ['server', `mqtt://${h.host}:${h.port}`], ['user', l.username], ['password', l.password]])}`,
  },
};

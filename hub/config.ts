import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';

export interface HubConfig {
  readonly httpPort: number;
  readonly mqttPort: number;
  readonly host: string;
  readonly dataDir: string;
  /** Start the simulated demo home inside the hub process. */
  readonly simulate: boolean;
  readonly logLevel: string;
  /** Events kept in the journal for resuming clients. */
  readonly journalSize: number;
  /**
   * How long device reports (readings, states) may wait for their commit, heard at once:
   * what a crash can cost. 0 commits each before anyone hears of it.
   */
  readonly reportCommitSeconds: number;
  /** How long a command may wait for the device's confirming report. */
  readonly commandTimeoutMs: number;
  /** Topic prefix of Home Assistant MQTT discovery. */
  readonly discoveryPrefix: string;
  /** Zigbee2MQTT's base topic, where the hub reads its `bridge/devices` list. */
  readonly zigbee2mqttBaseTopic: string;
  /** Days of history kept raw, as minute summaries, and as hour summaries. */
  readonly historyRawDays: number;
  readonly historyMinuteDays: number;
  readonly historyHourDays: number;
  /** The database's size in MB past which the oldest raw history goes; 0 for no cap. */
  readonly historyMaxMb: number;
  /** PEM certificate and key: HTTPS and WSS on the HTTP port, MQTTS on `mqttsPort`. Null for none. */
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  readonly mqttsPort: number;
  /** Let MQTT clients connect without a username (lab mode); off by default. */
  readonly mqttAnonymous: boolean;
  /** An MQTT packet whose remaining length is larger closes its connection. */
  readonly mqttMaxPacketBytes: number;
  /** Open MQTT connections allowed from one address. */
  readonly mqttMaxConnectionsPerAddress: number;
  /** New MQTT connections allowed from one address per minute. */
  readonly mqttConnectsPerMinute: number;
  /** Apply the per-address limits to loopback too (off: local load tests and bridges are trusted). */
  readonly mqttLimitLoopback: boolean;
  /** QoS 1/2 messages kept for one offline persistent session; newer ones are dropped (Mosquitto's max_queued_messages). */
  readonly mqttMaxQueued: number;
  /** Retained messages the embedded broker keeps in all, and their payload bytes. */
  readonly mqttMaxRetained: number;
  readonly mqttMaxRetainedBytes: number;
  /** Retained messages the clients of one credential may have stored, and their payload bytes. */
  readonly mqttMaxRetainedPerCredential: number;
  readonly mqttMaxRetainedBytesPerCredential: number;
  /**
   * An MQTT broker to use instead of the embedded one (mqtt://, mqtts://, ws:// or wss://,
   * credentials in the URL). Null: the hub runs its own broker.
   */
  readonly mqttUrl: string | null;
  /** The hub's client id on that broker; its session (subscriptions, queued messages) is kept under it. */
  readonly mqttClientId: string;
  /** Open connections allowed from one address on the HTTP port. */
  readonly httpMaxConnectionsPerAddress: number;
  /** Apply that limit to loopback too (off: a reverse proxy and local load tests arrive from there). */
  readonly httpLimitLoopback: boolean;
  /**
   * How long a connection may take to send a request's headers, and stay idle between
   * requests; a whole request (body included) gets three times as long.
   */
  readonly httpIdleTimeoutMs: number;
  /** Names the hub is reached by besides its own addresses (a DNS name, a reverse proxy's). */
  readonly publicHosts: readonly string[];
  /** Where backups go: `<dataDir>/backups` unless given (a USB stick, a NAS mount). */
  readonly backupDir: string;
  /** Backups kept; the oldest beyond this are removed after each new one. */
  readonly backupKeep: number;
  /** The hour of the night (local time, 0-23) the daily backup is taken. */
  readonly backupHour: number;
  /** Which broker the hub runs when it has no `mqttUrl`: its own aedes, or Debian's Mosquitto as a child process. */
  readonly broker: BrokerKind;
  /** The Mosquitto executable for `broker: 'mosquitto'`. */
  readonly mosquittoBin: string;
  /** The user in `mqttUrl` administers that Mosquitto's dynamic security: device credentials are made there. */
  readonly mqttDynsec: boolean;
  /** Device-change triggers an automation may fire per minute before the loop guard stops and flags it. */
  readonly automationLoopLimit: number;
}

export const BROKER_KINDS = ['embedded', 'mosquitto'] as const;
export type BrokerKind = (typeof BROKER_KINDS)[number];

export type ConfigResult = { ok: true; config: HubConfig } | { ok: false; errors: string[] };

/** Each setting: its flag, its environment variable, its default and how to read it. */
const settings = {
  httpPort: { flag: 'http-port', env: 'HUB_HTTP_PORT', fallback: '8080', read: readPort },
  mqttPort: { flag: 'mqtt-port', env: 'HUB_MQTT_PORT', fallback: '1883', read: readPort },
  host: { flag: 'host', env: 'HUB_HOST', fallback: '0.0.0.0', read: readText },
  dataDir: { flag: 'data-dir', env: 'HUB_DATA_DIR', fallback: './data', read: (v: string) => readText(v) && resolve(v) },
  simulate: { flag: 'simulate', env: 'HUB_SIMULATE', fallback: '1', read: readBoolean },
  logLevel: { flag: 'log-level', env: 'HUB_LOG_LEVEL', fallback: 'info', read: readLogLevel },
  journalSize: { flag: 'journal-size', env: 'HUB_JOURNAL_SIZE', fallback: '100000', read: readCount },
  reportCommitSeconds: { flag: 'report-commit-seconds', env: 'HUB_REPORT_COMMIT_SECONDS', fallback: '60', read: readSize },
  commandTimeoutMs: { flag: 'command-timeout-ms', env: 'HUB_COMMAND_TIMEOUT_MS', fallback: '5000', read: readCount },
  historyRawDays: { flag: 'history-raw-days', env: 'HUB_HISTORY_RAW_DAYS', fallback: '7', read: readCount },
  historyMinuteDays: { flag: 'history-minute-days', env: 'HUB_HISTORY_MINUTE_DAYS', fallback: '30', read: readCount },
  historyHourDays: { flag: 'history-hour-days', env: 'HUB_HISTORY_HOUR_DAYS', fallback: '730', read: readCount },
  historyMaxMb: { flag: 'history-max-mb', env: 'HUB_HISTORY_MAX_MB', fallback: '0', read: readSize },
  tlsCert: { flag: 'tls-cert', env: 'HUB_TLS_CERT', fallback: '', read: readOptionalPath },
  tlsKey: { flag: 'tls-key', env: 'HUB_TLS_KEY', fallback: '', read: readOptionalPath },
  mqttsPort: { flag: 'mqtts-port', env: 'HUB_MQTTS_PORT', fallback: '8883', read: readPort },
  discoveryPrefix: { flag: 'discovery-prefix', env: 'HUB_DISCOVERY_PREFIX', fallback: 'homeassistant', read: readTopicLevel },
  zigbee2mqttBaseTopic: { flag: 'z2m-base-topic', env: 'HUB_Z2M_BASE_TOPIC', fallback: 'zigbee2mqtt', read: readTopicPath },
  mqttAnonymous: { flag: 'mqtt-anonymous', env: 'HUB_MQTT_ANONYMOUS', fallback: '0', read: readBoolean },
  mqttMaxPacketBytes: { flag: 'mqtt-max-packet-bytes', env: 'HUB_MQTT_MAX_PACKET_BYTES', fallback: String(256 * 1024), read: readCount },
  mqttMaxConnectionsPerAddress: { flag: 'mqtt-max-connections-per-address', env: 'HUB_MQTT_MAX_CONNECTIONS_PER_ADDRESS', fallback: '100', read: readCount },
  mqttConnectsPerMinute: { flag: 'mqtt-connects-per-minute', env: 'HUB_MQTT_CONNECTS_PER_MINUTE', fallback: '120', read: readCount },
  mqttLimitLoopback: { flag: 'mqtt-limit-loopback', env: 'HUB_MQTT_LIMIT_LOOPBACK', fallback: '0', read: readBoolean },
  mqttMaxQueued: { flag: 'mqtt-max-queued', env: 'HUB_MQTT_MAX_QUEUED', fallback: '1000', read: readCount },
  mqttMaxRetained: { flag: 'mqtt-max-retained', env: 'HUB_MQTT_MAX_RETAINED', fallback: '50000', read: readCount },
  mqttMaxRetainedBytes: { flag: 'mqtt-max-retained-bytes', env: 'HUB_MQTT_MAX_RETAINED_BYTES', fallback: String(64 * 1024 * 1024), read: readCount },
  mqttMaxRetainedPerCredential: { flag: 'mqtt-max-retained-per-credential', env: 'HUB_MQTT_MAX_RETAINED_PER_CREDENTIAL', fallback: '5000', read: readCount },
  mqttMaxRetainedBytesPerCredential: { flag: 'mqtt-max-retained-bytes-per-credential', env: 'HUB_MQTT_MAX_RETAINED_BYTES_PER_CREDENTIAL', fallback: String(16 * 1024 * 1024), read: readCount },
  mqttUrl: { flag: 'mqtt-url', env: 'HUB_MQTT_URL', fallback: '', read: readBrokerUrl },
  mqttClientId: { flag: 'mqtt-client-id', env: 'HUB_MQTT_CLIENT_ID', fallback: 'hearth-hub', read: readText },
  httpMaxConnectionsPerAddress: { flag: 'http-max-connections-per-address', env: 'HUB_HTTP_MAX_CONNECTIONS_PER_ADDRESS', fallback: '100', read: readCount },
  httpLimitLoopback: { flag: 'http-limit-loopback', env: 'HUB_HTTP_LIMIT_LOOPBACK', fallback: '0', read: readBoolean },
  httpIdleTimeoutMs: { flag: 'http-idle-timeout-ms', env: 'HUB_HTTP_IDLE_TIMEOUT_MS', fallback: '10000', read: readCount },
  publicHosts: { flag: 'public-host', env: 'HUB_PUBLIC_HOST', fallback: '', read: readHostList },
  backupDir: { flag: 'backup-dir', env: 'HUB_BACKUP_DIR', fallback: '', read: readOptionalPath },
  backupKeep: { flag: 'backup-keep', env: 'HUB_BACKUP_KEEP', fallback: '7', read: readCount },
  backupHour: { flag: 'backup-hour', env: 'HUB_BACKUP_HOUR', fallback: '3', read: readHour },
  broker: { flag: 'broker', env: 'HUB_BROKER', fallback: 'embedded', read: readBrokerKind },
  mosquittoBin: { flag: 'mosquitto-bin', env: 'HUB_MOSQUITTO_BIN', fallback: '/usr/sbin/mosquitto', read: readText },
  mqttDynsec: { flag: 'mqtt-dynsec', env: 'HUB_MQTT_DYNSEC', fallback: '0', read: readBoolean },
  automationLoopLimit: { flag: 'automation-loop-limit', env: 'HUB_AUTOMATION_LOOP_LIMIT', fallback: '30', read: readCount },
} as const;

type Reader<T> = (raw: string) => T | undefined;

/** Flags win over environment variables, which win over defaults. Never throws. */
export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ConfigResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.values(settings).map((s) => [s.flag, { type: 'string' as const }]),
    );
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  const errors: string[] = [];
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settings)) {
    const fromFlag = values[setting.flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : env[setting.env] ?? setting.fallback;
    const value = (setting.read as Reader<unknown>)(raw);
    if (value === undefined) {
      const origin = typeof fromFlag === 'string' ? `--${setting.flag}` : env[setting.env] !== undefined ? setting.env : 'default';
      errors.push(`${origin}: invalid value ${JSON.stringify(raw)} (${describe(setting.read as Reader<unknown>)})`);
    }
    config[key] = value;
  }
  config.backupDir ??= join(String(config.dataDir), 'backups');
  if ((config.tlsCert === null) !== (config.tlsKey === null)) errors.push('--tls-cert and --tls-key: give both, or neither');
  if (config.mqttUrl && config.broker === 'mosquitto') errors.push('--broker mosquitto and --mqtt-url: the hub either runs Mosquitto or uses the broker at the URL, not both');
  if (config.mqttDynsec && !config.mqttUrl) errors.push('--mqtt-dynsec needs --mqtt-url: it is the broker whose dynamic security the hub administers');
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: Object.freeze(config as unknown as HubConfig) };
}

function readPort(raw: string): number | undefined {
  const port = Number(raw);
  return /^\d+$/.test(raw) && port <= 65535 ? port : undefined;
}

/** A size or a wait, 0 for none. */
function readSize(raw: string): number | undefined {
  return raw === '0' ? 0 : readCount(raw);
}

function readHour(raw: string): number | undefined {
  const hour = Number(raw);
  return /^\d{1,2}$/.test(raw) && hour <= 23 ? hour : undefined;
}

function readCount(raw: string): number | undefined {
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** One MQTT topic level: no wildcards, no separators. */
function readTopicLevel(raw: string): string | undefined {
  return /^[^/#+\s]+$/.test(raw) ? raw : undefined;
}

/** A file path, or the empty string for none (null). */
function readOptionalPath(raw: string): string | null {
  return raw.trim() === '' ? null : resolve(raw);
}

/** Topic levels joined by / (Zigbee2MQTT's base_topic may be `home/zigbee`): no wildcards, no empty level. */
function readTopicPath(raw: string): string | undefined {
  return raw.split('/').every((level) => readTopicLevel(level) !== undefined) ? raw : undefined;
}

const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];
/** A broker URL, or the empty string for the embedded broker (null). */
function readBrokerUrl(raw: string): string | null | undefined {
  if (raw.trim() === '') return null;
  try {
    const url = new URL(raw);
    return BROKER_SCHEMES.includes(url.protocol) && url.hostname !== '' ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** Host names, comma-separated, optionally with a port; lower-cased as Host headers are compared. */
function readHostList(raw: string): string[] | undefined {
  const hosts = raw.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
  return hosts.every((h) => /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/.test(h)) ? hosts : undefined;
}

function readBrokerKind(raw: string): BrokerKind | undefined {
  return BROKER_KINDS.find((kind) => kind === raw);
}

function readText(raw: string): string | undefined {
  return raw.trim() === '' ? undefined : raw;
}

function readBoolean(raw: string): boolean | undefined {
  const value = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return undefined;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function readLogLevel(raw: string): string | undefined {
  return logLevels.includes(raw) ? raw : undefined;
}

function describe(read: Reader<unknown>): string {
  if (read === readPort) return 'expected a port number 0-65535, 0 for any free port';
  if (read === readBoolean) return 'expected 1/0, true/false, yes/no or on/off';
  if (read === readTopicLevel) return 'expected one MQTT topic level, without /, + or #';
  if (read === readTopicPath) return 'expected MQTT topic levels separated by /, without + or #';
  if (read === readSize) return 'expected a whole number, 0 for none';
  if (read === readHour) return 'expected an hour of the day, 0-23';
  if (read === readCount) return 'expected a whole number of at least 1';
  if (read === readBrokerUrl) return 'expected a broker URL such as mqtt://user:password@host:1883 (mqtt, mqtts, ws or wss), or empty for the embedded broker';
  if (read === readHostList) return 'expected host names separated by commas, such as hearth.example.com or hub.lan:8443';
  if (read === readBrokerKind) return `expected one of ${BROKER_KINDS.join(', ')}`;
  if (read === readLogLevel) return `expected one of ${logLevels.join(', ')}`;
  return 'expected a non-empty value';
}

/**
 * mosquitto.conf for the Mosquitto the hub runs (mosquitto.conf(5), 2.0). Pure: paths and
 * ports in, text out.
 */
export interface MosquittoConfOptions {
  /** Plain MQTT; on loopback only when MQTTS is on, as with the embedded broker. */
  mqtt: { port: number; host: string };
  /** MQTTS with the hub's certificate files. */
  mqtts: { port: number; host: string; certFile: string; keyFile: string } | null;
  /** Directory of the persistence file, the dynamic security file and this config. */
  dir: string;
  dynsecPlugin: string;
  dynsecFile: string;
  anonymous: boolean;
  maxPacketBytes: number;
  /** The system user to run as: the hub's own, so Mosquitto can read the hub's data dir. */
  user: string;
}

/** Messages kept per client while it is away. The hub is the one client that hears every device. */
const MAX_QUEUED_MESSAGES = 100_000;
/** Seconds between saves of the in-memory state; the hub also asks for a save when its session is new. */
const AUTOSAVE_SECONDS = 60;

export function mosquittoConf(options: MosquittoConfOptions): string {
  const lines = [
    `user ${options.user}`,
    // One set of rules for every listener: the dynamic security plugin's.
    'per_listener_settings false',
    `allow_anonymous ${options.anonymous}`,
    `plugin ${options.dynsecPlugin}`,
    `plugin_opt_config_file ${options.dynsecFile}`,
    'persistence true',
    `persistence_location ${options.dir.endsWith('/') ? options.dir : `${options.dir}/`}`,
    `autosave_interval ${AUTOSAVE_SECONDS}`,
    // A reading sent at QoS 0 while the hub's connection is down waits for it like QoS 1.
    'queue_qos0_messages true',
    `max_queued_messages ${MAX_QUEUED_MESSAGES}`,
    `max_packet_size ${options.maxPacketBytes}`,
    // Without it, Mosquitto's small writes wait for the previous one's acknowledgement (Nagle).
    'set_tcp_nodelay true',
    // stderr: unbuffered, and the "running" line says when it is ready.
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type information',
    'log_timestamp false',
    `listener ${options.mqtt.port} ${options.mqtt.host}`,
  ];
  if (options.mqtts) {
    const { port, host, certFile, keyFile } = options.mqtts;
    lines.push(`listener ${port} ${host}`, `certfile ${certFile}`, `keyfile ${keyFile}`);
  }
  return `${lines.join('\n')}\n`;
}

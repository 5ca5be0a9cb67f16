import mqtt, { type MqttClient } from 'mqtt';
import { serve } from '../lib/generator.js';

/**
 * Devices that connect and then say nothing but their keepalive, like a quiet home at night.
 * 60 s is MQTT.js's default keepalive and what most device firmware uses.
 */
const clients: MqttClient[] = [];
const CONNECT_BATCH = 200;

serve(async (request) => {
  const { url, count, prefix } = request as { url: string; count: number; prefix: string };
  for (let i = 0; i < count; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - i) }, (_, k) =>
      mqtt.connectAsync(url, { clientId: `${prefix}-${i + k}`, reconnectPeriod: 0, keepalive: 60 }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return { connected: clients.length };
});

import mqtt, { type MqttClient } from 'mqtt';
import { serve } from '../lib/generator.js';

/** Devices that connect and then say nothing (keepalive only), like a quiet home at night. */
const clients: MqttClient[] = [];

serve(async (request) => {
  const { url, count, prefix } = request as { url: string; count: number; prefix: string };
  for (let i = 0; i < count; i += 200) {
    const batch = Array.from({ length: Math.min(200, count - i) }, (_, k) =>
      mqtt.connectAsync(url, { clientId: `${prefix}-${i + k}`, reconnectPeriod: 0, keepalive: 300 }),
    );
    clients.push(...(await Promise.all(batch)));
  }
  return { connected: clients.length };
});

import WebSocket from 'ws';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import { Dashboards } from '../lib/dashboards.js';
import { Generator } from '../lib/generator.js';
import { health, withHub } from '../lib/hub.js';
import { brokerArgs } from '../lib/mosquitto.js';
import { summarise, type Latency } from '../lib/stats.js';
import { until, withTimeout } from '../lib/time.js';

export interface ToggleResult {
  /** Where the lights connect: the embedded broker, or the Mosquitto the hub runs. */
  broker: 'embedded' | 'hub-run mosquitto';
  devices: number;
  dashboards: number;
  toggles: number;
  roundTrip: Latency;
  samples: number[];
}

/** The hub's own command timeout: a toggle slower than this has failed. */
const TOGGLE_TIMEOUT_MS = 5_000;

/**
 * What a person feels flipping a switch: a command on a dashboard WebSocket, the device
 * receives it over MQTT and reports, and the confirmed state (the device's `state` event
 * with the requested value) is back on that WebSocket. The other dashboards only watch.
 */
export function toggle({ devices, dashboards, toggles, epoch, broker = 'embedded' }: { devices: number; dashboards: number; toggles: number; epoch: number; broker?: ToggleResult['broker'] }): Promise<ToggleResult> {
  return withHub(async (hub) => {
    const lights = new Generator('lights');
    let watchers: Dashboards | undefined;
    let socket: WebSocket | undefined;
    try {
      await lights.ask({ url: hub.mqttUrl, count: devices, prefix: 'bench-light' });
      await until(async () => (await health(hub)).devices.online === devices, 30_000, `${devices} lights online`, 100);
      watchers = await Dashboards.open(hub, dashboards - 1, epoch, dashboards);
      // Opened now that every light is online, so its snapshot holds them all.
      socket = new WebSocket(hub.wsUrl, { perMessageDeflate: false, headers: hub.headers });
      const on = new Map<string, boolean>();
      let waiting: { id: string; on: boolean; resolve: () => void; reject: (error: Error) => void } | null = null;
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as ServerMessage;
        if (message.type === 'snapshot') for (const d of message.devices) on.set(d.id, d.state.on === true);
        if (message.type === 'error') waiting?.reject(new Error(`hub refused a toggle: ${message.code} ${message.message}`));
        if (message.type !== 'state') return;
        on.set(message.id, message.state.on === true);
        if (waiting && message.id === waiting.id && message.state.on === waiting.on) waiting.resolve();
      });
      await until(() => on.size >= devices, 30_000, `${devices} lights in the snapshot`);
      const samples: number[] = [];
      for (let i = 0; i < toggles; i++) {
        const id = `bench-light-${i % devices}`;
        const desired = !on.get(id);
        const start = performance.now();
        const confirmed = new Promise<void>((resolve, reject) => (waiting = { id, on: desired, resolve, reject }));
        socket.send(JSON.stringify({ type: 'command', ref: String(i), id, command: { on: desired } }));
        await withTimeout(confirmed, TOGGLE_TIMEOUT_MS, `toggle ${i} of ${id}`);
        samples.push(performance.now() - start);
      }
      return { broker, devices, dashboards, toggles, roundTrip: summarise(samples), samples };
    } finally {
      socket?.close();
      await Promise.all([lights.stop(), watchers?.stop()]);
    }
  }, { args: brokerArgs(broker) });
}

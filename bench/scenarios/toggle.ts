import WebSocket from 'ws';
import type { ServerMessage } from '../../hub/protocol/messages.js';
import { Generator } from '../lib/generator.js';
import { startHub } from '../lib/hub.js';
import { summarise, type Latency } from '../lib/stats.js';

export interface ToggleResult {
  devices: number;
  dashboards: number;
  toggles: number;
  roundTrip: Latency;
  samples: number[];
}

/**
 * What a person feels flipping a switch: a command on a dashboard WebSocket, the device
 * receives it over MQTT and reports, and the confirmed state is back on the WebSocket.
 */
export async function toggle({ devices, dashboards, toggles }: { devices: number; dashboards: number; toggles: number }): Promise<ToggleResult> {
  const hub = await startHub();
  const lights = new Generator('lights');
  const others = new Generator('dashboards');
  try {
    await lights.ask({ url: hub.mqttUrl, count: devices, prefix: 'bench-light' });
    await others.ask({ cmd: 'open', url: hub.wsUrl, count: dashboards - 1 });
    const socket = new WebSocket(hub.wsUrl);
    const on = new Map<string, boolean>();
    let waiting: { id: string; on: boolean; resolve: () => void } | null = null;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'snapshot') for (const d of message.devices) on.set(d.id, d.state.on === true);
      if (message.type !== 'state') return;
      on.set(message.id, message.state.on === true);
      if (waiting && message.id === waiting.id && message.state.on === waiting.on) waiting.resolve();
    });
    await new Promise((resolve) => socket.once('open', resolve));
    while (on.size < devices) await new Promise((r) => setTimeout(r, 50));
    const samples: number[] = [];
    for (let i = 0; i < toggles; i++) {
      const id = `bench-light-${i % devices}`;
      const desired = !on.get(id);
      const start = performance.now();
      await new Promise<void>((resolve) => {
        waiting = { id, on: desired, resolve };
        socket.send(JSON.stringify({ type: 'command', id, command: { on: desired } }));
      });
      samples.push(performance.now() - start);
    }
    socket.close();
    return { devices, dashboards, toggles, roundTrip: summarise(samples), samples };
  } finally {
    await Promise.all([lights.stop(), others.stop()]);
    await hub.stop();
  }
}

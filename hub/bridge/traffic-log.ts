/** One MQTT message as a device's log shows it. */
export interface TrafficEntry {
  at: number;
  direction: 'in' | 'out';
  topic: string;
  /** The payload as text, cut to a readable length. */
  payload: string;
  retained?: boolean;
}

const PER_DEVICE = 20;
const MAX_PAYLOAD = 512;

/**
 * The last few MQTT messages of each device, so a user can see why a device looks the way
 * it does. Bounded: a fixed number of entries per device, payloads cut short.
 */
export class TrafficLog {
  private readonly entries = new Map<string, TrafficEntry[]>();
  private readonly listeners = new Set<(deviceId: string, entry: TrafficEntry) => void>();

  record(deviceId: string, direction: TrafficEntry['direction'], topic: string, text: string, at = Date.now()): void {
    const entry: TrafficEntry = { at, direction, topic, payload: text.length > MAX_PAYLOAD ? `${text.slice(0, MAX_PAYLOAD)}…` : text };
    let list = this.entries.get(deviceId);
    if (!list) this.entries.set(deviceId, (list = []));
    if (list.length >= PER_DEVICE) list.shift();
    list.push(entry);
    for (const listener of this.listeners) listener(deviceId, entry);
  }

  of(deviceId: string): readonly TrafficEntry[] {
    return this.entries.get(deviceId) ?? [];
  }

  forget(deviceId: string): void {
    this.entries.delete(deviceId);
  }

  subscribe(listener: (deviceId: string, entry: TrafficEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

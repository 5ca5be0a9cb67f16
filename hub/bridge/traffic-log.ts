/** One MQTT message as a device's log shows it. */
export interface TrafficEntry {
  at: number;
  direction: 'in' | 'out';
  topic: string;
  /** The payload as text, cut to a readable length. */
  payload: string;
}

const PER_DEVICE = 20;
const MAX_PAYLOAD = 512;

/**
 * One device's last messages in a ring of parallel columns. Kept for every device all day,
 * an object per message would be the hub's largest set of long-lived objects (200,000 with
 * 10,000 devices), all of them promoted and marked by the garbage collector; the columns
 * hold only the payload text, and a topic the same as the one before is kept once.
 */
class DeviceTraffic {
  readonly at = new Float64Array(PER_DEVICE);
  readonly outgoing = new Uint8Array(PER_DEVICE);
  readonly topics: string[] = [];
  readonly payloads: string[] = [];
  /** Slot the next message goes to. */
  next = 0;
  count = 0;

  add(direction: TrafficEntry['direction'], topic: string, payload: string, at: number): void {
    const slot = this.next;
    const previous = this.topics[(slot + PER_DEVICE - 1) % PER_DEVICE];
    this.topics[slot] = previous === topic ? previous : topic;
    this.payloads[slot] = payload;
    this.at[slot] = at;
    this.outgoing[slot] = direction === 'out' ? 1 : 0;
    this.next = (slot + 1) % PER_DEVICE;
    this.count = Math.min(this.count + 1, PER_DEVICE);
  }

  entries(): TrafficEntry[] {
    const list: TrafficEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.next - this.count + i + PER_DEVICE) % PER_DEVICE;
      list.push({ at: this.at[slot]!, direction: this.outgoing[slot] ? 'out' : 'in', topic: this.topics[slot]!, payload: this.payloads[slot]! });
    }
    return list;
  }
}

/**
 * The last few MQTT messages of each device, so a user can see why a device looks the way
 * it does. Bounded: a fixed number of entries per device, payloads cut short.
 */
export class TrafficLog {
  private readonly devices = new Map<string, DeviceTraffic>();
  private readonly listeners = new Set<(deviceId: string, entry: TrafficEntry) => void>();

  record(deviceId: string, direction: TrafficEntry['direction'], topic: string, text: string, at = Date.now()): void {
    const payload = text.length > MAX_PAYLOAD ? `${text.slice(0, MAX_PAYLOAD)}…` : text;
    let traffic = this.devices.get(deviceId);
    if (!traffic) this.devices.set(deviceId, (traffic = new DeviceTraffic()));
    traffic.add(direction, topic, payload, at);
    if (this.listeners.size === 0) return;
    const entry: TrafficEntry = { at, direction, topic, payload };
    for (const listener of this.listeners) listener(deviceId, entry);
  }

  /** Oldest first. */
  of(deviceId: string): TrafficEntry[] {
    return this.devices.get(deviceId)?.entries() ?? [];
  }

  forget(deviceId: string): void {
    this.devices.delete(deviceId);
  }

  subscribe(listener: (deviceId: string, entry: TrafficEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { waitForEvent } from './wait.js';

/**
 * Debian's python3-paho-mqtt, the client library Home Assistant's MQTT integration uses, as
 * an MQTT 5 client (helpers/paho5.py). Debian's own python, not one on PATH.
 */
const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('./paho5.py', import.meta.url).pathname;

export const pahoInstalled = (): boolean => existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import paho.mqtt.client']).status === 0;

export type PahoEvent =
  | { event: 'connack'; reason: number }
  | { event: 'suback'; reasons: number[] }
  | { event: 'puback'; mid: number }
  | { event: 'message'; topic: string; payload: string; retain: boolean }
  | { event: 'disconnected'; reason: number };

export class PahoClient {
  readonly events: PahoEvent[] = [];
  private readonly listeners = new Set<(event: PahoEvent) => void>();

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as PahoEvent;
      this.events.push(event);
      for (const listener of this.listeners) listener(event);
    });
  }

  /** Starts the client; resolves with its CONNACK reason code (0 is success). */
  static async connect(mqttUrl: string, username: string, password: string, clientId: string): Promise<{ client: PahoClient; reason: number }> {
    const { hostname, port } = new URL(mqttUrl);
    const child = spawn(PYTHON, [SCRIPT, hostname, port, username, password, clientId], { stdio: ['pipe', 'pipe', 'inherit'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    const client = new PahoClient(child);
    const connack = await client.next('connack');
    return { client, reason: connack.reason };
  }

  /** The first event of this kind satisfying `predicate`, seen already or still to come. */
  next<K extends PahoEvent['event']>(kind: K, predicate: (event: Extract<PahoEvent, { event: K }>) => boolean = () => true): Promise<Extract<PahoEvent, { event: K }>> {
    type E = Extract<PahoEvent, { event: K }>;
    const matches = (e: PahoEvent): e is E => e.event === kind && predicate(e as E);
    const seen = this.events.find(matches);
    if (seen) return Promise.resolve(seen);
    return waitForEvent<PahoEvent>(
      (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      matches,
      `paho-mqtt's ${kind}`,
    ) as Promise<E>;
  }

  subscribe(filter: string, qos = 1): Promise<number[]> {
    const before = this.events.length;
    this.send({ op: 'subscribe', filter, qos });
    return this.next('suback', (e) => this.events.indexOf(e) >= before).then((e) => e.reasons);
  }

  publish(topic: string, payload: string, qos = 1): void {
    this.send({ op: 'publish', topic, payload, qos });
  }

  close(): void {
    this.send({ op: 'disconnect' });
    this.child.stdin!.end();
  }

  private send(command: object): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }
}

const running = new Set<ChildProcess>();
export function killAllPaho(): void {
  for (const child of running) child.kill('SIGKILL');
}

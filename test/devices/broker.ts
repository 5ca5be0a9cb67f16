import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { MqttClient } from 'mqtt';
import { connectMqtt } from '../helpers/mqtt.js';
import { EVENT_TIMEOUT_MS } from '../helpers/wait.js';

export interface TestBroker {
  broker: Aedes;
  url: string;
  /** Cuts a client's TCP connection from the broker's side, as a network failure would. */
  drop(clientId: string): void;
  close(): Promise<void>;
}

/** A bare aedes broker on 127.0.0.1 and an ephemeral port: no hub in between. */
export async function startBroker(): Promise<TestBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const clients = new Map<string, { conn: { destroy(): void } }>();
  broker.on('client', (client) => clients.set(client.id, client));
  return {
    broker,
    url: `mqtt://127.0.0.1:${port}`,
    drop: (clientId) => clients.get(clientId)?.conn.destroy(),
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Received {
  topic: string;
  text: string;
  retain: boolean;
}

/**
 * A real MQTT.js client that keeps every message it receives, so a test can wait for one
 * that may already have arrived. Each message is handed out once.
 */
export class Observer {
  private readonly messages: Received[] = [];
  /** Every message, in the order it arrived. */
  readonly received: readonly Received[] = this.messages;
  private readonly taken = new Set<Received>();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      this.messages.push({ topic, text: payload.toString(), retain: packet.retain });
      for (const wake of this.waiters) wake();
    });
  }

  static async connect(url: string, topics: string[]): Promise<Observer> {
    const observer = new Observer(await connectMqtt(url));
    await observer.client.subscribeAsync(topics, { qos: 1 });
    return observer;
  }

  /** The first message not handed out yet on `topic` that satisfies `predicate`. */
  next(topic: string, predicate: (m: Received) => boolean = () => true): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find((m) => !this.taken.has(m) && m.topic === topic && predicate(m));
        if (!found) return;
        this.taken.add(found);
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.messages.slice(-5).map((m) => `${m.topic} ${m.text}`);
        reject(new Error(`timed out waiting for a message on ${topic}; last: ${seen.join(' | ')}`));
      }, EVENT_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Messages on `topic` received so far, handed out or not. */
  all(topic: string): Received[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}

import type { FastifyBaseLogger } from 'fastify';
import type { MqttClient } from 'mqtt';
import type { DeviceCredentials } from '../mqtt/credentials.js';
import { CONTROL_TOPIC, createCommands, isHarmless, RESPONSE_TOPIC, revokeCommands, type Command } from './dynsec.js';

interface Response {
  command: string;
  error?: string;
  correlationData?: string;
}

/** How long an answer from the plugin may take; past it the change is reported as not applied. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Sends commands to Mosquitto's dynamic security plugin over an MQTT connection whose user
 * may (the hub's own connection, or the credentials CLI's).
 */
export class DynsecAdmin {
  private readonly waiting = new Map<string, (responses: Response[]) => void>();
  private nextId = 1;

  constructor(private readonly client: MqttClient) {
    // Sent once the connection is up, and again by MQTT.js whenever the broker lost the session.
    client.subscribe(RESPONSE_TOPIC, { qos: 1 });
    client.on('message', (topic, payload) => {
      if (topic !== RESPONSE_TOPIC) return;
      const responses = parseResponses(payload);
      const id = responses[0]?.correlationData?.split('.')[0];
      if (id !== undefined) this.waiting.get(id)?.(responses);
    });
  }

  /** Sends the commands as one message; rejects with the first error that is not harmless. */
  async send(commands: readonly Command[]): Promise<void> {
    const id = String(this.nextId++);
    const answered = new Promise<Response[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer from the dynamic security plugin in ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      this.waiting.set(id, (responses) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(responses);
      });
    });
    const tagged = commands.map((command, i) => ({ ...command, correlationData: `${id}.${i}` }));
    await this.client.publishAsync(CONTROL_TOPIC, JSON.stringify({ commands: tagged }), { qos: 1 });
    const failed = (await answered).find((r) => r.error !== undefined && !isHarmless(r.command, r.error));
    if (failed) throw new Error(`dynamic security refused ${failed.command}: ${failed.error}`);
  }
}

function parseResponses(payload: Buffer): Response[] {
  try {
    const parsed = JSON.parse(payload.toString()) as { responses?: unknown };
    return Array.isArray(parsed.responses) ? (parsed.responses as Response[]).filter((r) => typeof r?.command === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Keeps a Mosquitto's dynamic security in step with the hub's device credentials: each one
 * made is created there with its password (known only at that moment), each one revoked is
 * deleted, which disconnects its devices at once. Changes are applied one after another.
 */
export class DynsecSync {
  private readonly admin: DynsecAdmin;
  private pending: Promise<void> = Promise.resolve();
  private readonly stops: (() => void)[];

  constructor(client: MqttClient, credentials: DeviceCredentials, private readonly log: FastifyBaseLogger) {
    this.admin = new DynsecAdmin(client);
    this.stops = [
      credentials.onCreate((issued) => this.apply(createCommands(issued, credentials.discoveryPrefix), issued.username, 'created')),
      credentials.onRevoke((username) => this.apply(revokeCommands(username), username, 'revoked')),
    ];
  }

  /** Resolves once every change so far has been answered (or failed and been logged). */
  applied(): Promise<void> {
    return this.pending;
  }

  /** Resolves once the plugin answers a question sent now: whatever was sent before has been taken in. */
  roundTrip(): Promise<void> {
    return this.admin.send([{ command: 'getDefaultACLAccess' }]);
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }

  private apply(commands: Command[], username: string, change: string): void {
    this.pending = this.pending
      .then(() => this.admin.send(commands))
      .then(
        () => this.log.info({ username }, `MQTT credential ${change} on the broker`),
        (err: Error) => this.log.error({ username, err: err.message }, `MQTT credential ${change} in the hub but not on the broker`),
      );
  }
}

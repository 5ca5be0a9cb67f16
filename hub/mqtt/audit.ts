import type { FastifyBaseLogger } from 'fastify';

export interface MqttAuditCounts {
  rejectedConnections: number;
  rejectedPublishes: number;
  rejectedSubscriptions: number;
  oversizedPackets: number;
}

/** Who did it, as far as the broker knows at the time. */
export interface Actor {
  clientId: string | null;
  username: string | null;
  address: string;
}

type Refusal = 'connection' | 'publish' | 'subscription' | 'oversized';

const counterOf: Record<Refusal, keyof MqttAuditCounts> = {
  connection: 'rejectedConnections',
  publish: 'rejectedPublishes',
  subscription: 'rejectedSubscriptions',
  oversized: 'oversizedPackets',
};

/**
 * Every refusal, counted for `GET /api/health` and logged on a child logger marked
 * `audit: true`, so a log shipper can route them apart from ordinary lines.
 */
export class MqttAudit {
  readonly counts: MqttAuditCounts = { rejectedConnections: 0, rejectedPublishes: 0, rejectedSubscriptions: 0, oversizedPackets: 0 };
  private readonly log: FastifyBaseLogger;

  constructor(log: FastifyBaseLogger) {
    this.log = log.child({ audit: true });
  }

  refuse(kind: Refusal, actor: Actor, reason: string, detail: Record<string, unknown> = {}): void {
    this.counts[counterOf[kind]]++;
    this.log.warn({ ...actor, ...detail, reason }, `mqtt ${kind} refused: ${reason}`);
  }
}

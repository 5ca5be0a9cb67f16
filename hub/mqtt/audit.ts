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

/** Audit lines per second at most: a client repeating a refused SUBSCRIBE must not flood the log. */
const LINES_PER_SECOND = 50;

/**
 * Every refusal, counted for `GET /api/health` and logged on a child logger marked
 * `audit: true`, so a log shipper can route them apart from ordinary lines. Past
 * LINES_PER_SECOND the lines are left out, and the next line says how many were.
 */
export class MqttAudit {
  readonly counts: MqttAuditCounts = { rejectedConnections: 0, rejectedPublishes: 0, rejectedSubscriptions: 0, oversizedPackets: 0 };
  private readonly log: FastifyBaseLogger;
  private second = 0;
  private linesThisSecond = 0;
  private leftOut = 0;

  constructor(
    log: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.log = log.child({ audit: true });
  }

  refuse(kind: Refusal, actor: Actor, reason: string, detail: Record<string, unknown> = {}): void {
    this.counts[counterOf[kind]]++;
    if (!this.mayLog()) {
      this.leftOut++;
      return;
    }
    const leftOut = this.leftOut > 0 ? { linesLeftOut: this.leftOut } : {};
    this.leftOut = 0;
    this.log.warn({ ...actor, ...detail, reason, ...leftOut }, `mqtt ${kind} refused: ${reason}`);
  }

  private mayLog(): boolean {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.linesThisSecond = 0;
    }
    return this.linesThisSecond++ < LINES_PER_SECOND;
  }
}

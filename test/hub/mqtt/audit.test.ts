import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MqttAudit } from '../../../hub/mqtt/audit.js';

describe('MqttAudit', () => {
  it('logs each refusal marked audit: true, with who did it, and counts it', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = Fastify({ logger: { level: 'warn', stream } });
    const audit = new MqttAudit(app.log.child({ plugin: 'broker' }));
    audit.refuse('publish', { clientId: 'intruder', username: 'kitchen-plug', address: '192.0.2.7' }, "topic is outside the credential's topics", { topic: 'hearth/hall-light/set' });
    expect(lines.map((line) => JSON.parse(line) as unknown)).toStrictEqual([
      expect.objectContaining({
        level: 40,
        plugin: 'broker',
        audit: true,
        clientId: 'intruder',
        username: 'kitchen-plug',
        address: '192.0.2.7',
        topic: 'hearth/hall-light/set',
        reason: "topic is outside the credential's topics",
        msg: "mqtt publish refused: topic is outside the credential's topics",
      }),
    ]);
    expect(audit.counts).toStrictEqual({ rejectedConnections: 0, rejectedPublishes: 1, rejectedSubscriptions: 0, oversizedPackets: 0 });
  });
});

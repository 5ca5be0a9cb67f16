import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MqttAudit } from '../../../hub/mqtt/audit.js';

function capturedLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      lines.push(chunk.toString());
      done();
    },
  });
  return { app: Fastify({ logger: { level: 'warn', stream } }), lines };
}

describe('MqttAudit', () => {
  it('logs each refusal marked audit: true, with who did it, and counts it', () => {
    const { app, lines } = capturedLog();
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

  it('leaves lines out past 50 a second, counting every refusal, and says how many it left out', () => {
    const { app, lines } = capturedLog();
    let now = 5_000;
    const audit = new MqttAudit(app.log, () => now);
    const actor = { clientId: 'flood', username: null, address: '192.0.2.8' };
    for (let i = 0; i < 80; i++) audit.refuse('subscription', actor, 'topics starting with $ are reserved for the broker');
    now += 1_000;
    audit.refuse('subscription', actor, 'topics starting with $ are reserved for the broker');
    expect(lines).toHaveLength(51);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ linesLeftOut: 30 });
    expect(audit.counts.rejectedSubscriptions).toBe(81);
  });
});

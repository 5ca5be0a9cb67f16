import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { guardPackets, type PacketProblem } from '../../../hub/mqtt/packet-guard.js';
import { connectPacket, publishPacket, remainingLength } from '../../helpers/raw-mqtt.js';

/** A stand-in for a socket, read as aedes reads it (`read()` on 'readable'): `arrive` is bytes from the network. */
function guarded(maxBytes: number) {
  const network = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
  const passed: Buffer[] = [];
  network.on('readable', () => {
    for (let chunk: Buffer | null; (chunk = network.read() as Buffer | null) !== null; ) passed.push(chunk);
  });
  const problems: PacketProblem[] = [];
  guardPackets(network, maxBytes, (problem) => problems.push(problem));
  const guard = network;
  const arrive = (bytes: Buffer, chunkSize: number) => {
    for (let i = 0; i < bytes.length; i += chunkSize) network.push(bytes.subarray(i, i + chunkSize));
  };
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { guard, network, problems, arrive, settled, passed: () => Buffer.concat(passed) };
}

describe('the packet guard', () => {
  const traffic = Buffer.concat([connectPacket(), publishPacket('a/b', 'x'.repeat(300), { qos: 1, messageId: 5 }), Buffer.from([0xc0, 0x00]), publishPacket('c', '')]);

  it.each([1, 2, 3, 7, 1000])('passes well-sized packets through unchanged, in chunks of %i bytes', async (chunkSize) => {
    const { arrive, settled, passed, problems } = guarded(1024);
    arrive(traffic, chunkSize);
    await settled();
    expect(passed()).toStrictEqual(traffic);
    expect(problems).toStrictEqual([]);
  });

  it.each([1, 2, 1000])('closes on a remaining length over the limit, read across chunks of %i bytes', async (chunkSize) => {
    const { arrive, settled, problems, guard, network } = guarded(1024);
    arrive(Buffer.concat([connectPacket(), Buffer.from([0x30]), remainingLength(200_000)]), chunkSize);
    await settled();
    expect(problems).toStrictEqual([{ reason: 'too-large', bytes: expect.any(Number) }]);
    expect(guard.destroyed).toBe(true);
  });

  it('closes on a remaining length of more than four bytes [MQTT-2.2.3]', async () => {
    const { arrive, settled, problems } = guarded(Number.MAX_SAFE_INTEGER);
    arrive(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 1);
    await settled();
    expect(problems).toStrictEqual([{ reason: 'malformed-length' }]);
  });
});

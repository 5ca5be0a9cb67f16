import { writeToStream } from 'mqtt-packet';

/**
 * Packets carry 2-byte numbers (packet ids, topic lengths). mqtt-packet, with which aedes and
 * MQTT.js write every packet, by default keeps a Buffer for each of the 65,536 values, made
 * when the first packet is written: 65,536 small objects, about 6 MB of the hub's heap, which
 * never shrinks. Without the table each number is a 2-byte slice of Node's buffer pool, made as
 * it is written. Measured under the Pi profile with the demo home at rest: the V8 heap's pages
 * 5 to 6 MB smaller, and the resident size from 85.3 to 78.3-79.5 MB (docs/raspberry-pi.md).
 *
 * The setting is the module's, so it holds for the whole process; mqtt-packet's README asks for
 * it before the first packet is written, which is why the hub sets it as it starts.
 */
export function writePacketNumbersWithoutTable(): void {
  writeToStream.cacheNumbers = false;
}

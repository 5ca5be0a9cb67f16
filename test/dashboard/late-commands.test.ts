import { describe, expect, it } from 'vitest';
import type { Device } from '../../hub/protocol/device.js';
import type { CommandRecord } from '../../hub/protocol/messages.js';
import { LATE_WINDOW_MS, LateCommands } from '../../dashboard/src/late-commands.js';

const failed: CommandRecord = { id: 'c1', device: 'lamp', command: { on: true, brightness: 200 }, status: 'failed', reason: 'timeout', issuedAt: 1_000 };
const lamp = (state: Device['state']) => ({ id: 'lamp', state }) as Device;

describe('commands applied late', () => {
  it.each([
    ['the whole command carried out', { on: true, brightness: 200 }, 7_100, { afterMs: 6_100 }],
    ['only part of it', { on: true, brightness: 10 }, 7_100, null],
    ['a report after the window', { on: true, brightness: 200 }, 1_000 + LATE_WINDOW_MS + 1, null],
  ])('takes %s', (_name, state, now, expected) => {
    const late = new LateCommands();
    late.missed(failed);
    const result = late.applied(lamp(state), now);
    expect(result === null ? null : { afterMs: result.afterMs }).toStrictEqual(expected);
  });

  it('says it once, and not after another command to the device', () => {
    const late = new LateCommands();
    late.missed(failed);
    expect(late.applied(lamp({ on: true, brightness: 200 }), 2_000)).not.toBeNull();
    expect(late.applied(lamp({ on: true, brightness: 200 }), 2_100)).toBeNull();
    late.missed(failed);
    late.forget('lamp');
    expect(late.applied(lamp({ on: true, brightness: 200 }), 2_200)).toBeNull();
  });
});

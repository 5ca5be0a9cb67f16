import type { Device } from '../../protocol/device.js';
import type { DeviceChange } from '../../registry/registry.js';
import { timerAt, type Timer } from '../clock.js';
import type { TriggerContext } from '../context.js';

/**
 * A trigger on one device: the change that fires it, and for a "stays for" trigger, the
 * change that breaks the hold and whether the device holds now (when a restart resumes it).
 */
export interface DeviceWatch {
  device: string;
  fires(change: DeviceChange): boolean;
  breaks(change: DeviceChange): boolean;
  holdsNow(device: Device): boolean;
  /** For the trace: what happened, with the value the device came to. */
  describe(device: Device): string;
}

/**
 * Fires on the watched change, or with `forMs`, once the device has stayed so that long
 * (Home Assistant's `for:`): a change that breaks the hold cancels it. The hold's start is
 * kept, so after a restart it goes on from where it was if the device still holds.
 */
export function armDeviceWatch(watch: DeviceWatch, forMs: number | undefined, ctx: TriggerContext): () => void {
  let timer: Timer | null = null;
  let held = '';
  const hold = (since: number) => {
    timer = timerAt(ctx.clock, since + forMs!, () => {
      timer = null;
      ctx.holds.clear();
      ctx.fire(`${held} for ${describeDuration(forMs!)}`);
    });
  };
  const since = forMs === undefined ? undefined : ctx.holds.since();
  if (since !== undefined) {
    const device = ctx.devices.get(watch.device);
    if (device && watch.holdsNow(device)) {
      held = watch.describe(device);
      hold(since);
    }
    else ctx.holds.clear();
  }
  const unsubscribe = ctx.devices.subscribe((change) => {
    if ((change.to ?? change.from).id !== watch.device) return;
    if (forMs === undefined) {
      if (watch.fires(change)) ctx.fire(watch.describe(change.to!));
    } else if (timer && (change.type === 'removed' || watch.breaks(change))) {
      timer.cancel();
      timer = null;
      ctx.holds.clear();
    } else if (!timer && watch.fires(change)) {
      const now = ctx.clock.now();
      held = watch.describe(change.to!);
      ctx.holds.start(now);
      hold(now);
    }
  });
  return () => {
    unsubscribe();
    timer?.cancel();
  };
}

export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoHomeSpecs, forEachLimited, numberedSpecs, startDemoHome, type DemoHome } from '../../devices/demo-home.js';
import { kindNames } from '../../devices/models/index.js';
import { Observer, startBroker, type TestBroker } from './broker.js';

describe('who lives in the demo home', () => {
  it('is a believable home of every kind, with slugged ids', () => {
    const specs = demoHomeSpecs();
    expect(specs).toContainEqual({ id: 'living-room-lamp', name: 'Living room lamp', kind: 'dimmable-light', room: 'Living room' });
    expect(specs).toContainEqual({ id: 'front-door', name: 'Front door', kind: 'door-sensor', room: 'Hallway' });
    expect(new Set(specs.map((s) => s.kind))).toStrictEqual(new Set(kindNames));
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    for (const { id } of specs) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('numbers devices kind by kind for load tests', () => {
    const specs = numberedSpecs(9);
    expect(specs.map((s) => s.kind)).toStrictEqual([...kindNames, kindNames[0], kindNames[1]]);
    expect(specs[1]).toStrictEqual({ id: 'sim-2-dimmable-light', name: 'Sim dimmable light 2', kind: 'dimmable-light' });
    expect(numberedSpecs(1, 'bench')[0]).toStrictEqual({ id: 'bench-1-onoff-light', name: 'Bench on/off light 1', kind: 'onoff-light' });
  });

  it.each([-1, 1.5, Number.NaN])('refuses a count of %s', (count) => {
    expect(() => numberedSpecs(count)).toThrow(RangeError);
  });
});

describe('forEachLimited', () => {
  it('never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    await forEachLimited(Array.from({ length: 40 }, (_, i) => i), 5, async () => {
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => setImmediate(resolve));
      running--;
    });
    expect(most).toBe(5);
  });

  it('starts nothing new after a failure and throws the first error', async () => {
    const done: number[] = [];
    const run = forEachLimited([1, 2, 3, 4, 5, 6, 7, 8], 2, async (n) => {
      if (n === 2) throw new Error('boom 2');
      done.push(n);
    });
    await expect(run).rejects.toThrow('boom 2');
    // The other worker may already have taken its next item when the failure lands.
    expect(done).toStrictEqual([1, 3]);
  });
});

describe('startDemoHome', () => {
  let broker: TestBroker;
  let home: DemoHome | undefined;
  const observers: Observer[] = [];

  beforeEach(async () => {
    broker = await startBroker();
  });

  afterEach(async () => {
    await home?.stop();
    home = undefined;
    await Promise.all(observers.splice(0).map((o) => o.close()));
    await broker.close();
  });

  const availability = async () => {
    const observer = await Observer.connect(broker.url, ['hearth/+/availability']);
    observers.push(observer);
    return observer;
  };

  it('starts numbered devices with bounded concurrency and stops them cleanly', async () => {
    const logged: string[] = [];
    home = await startDemoHome({ url: broker.url, count: 30, prefix: 'bench', tickMs: 0, concurrency: 4, log: (m) => logged.push(m) });
    expect(home.devices.map((d) => d.id).slice(0, 2)).toStrictEqual(['bench-1-onoff-light', 'bench-2-dimmable-light']);
    expect(logged).toStrictEqual(['started 30/30 simulated devices']);
    const observer = await availability();
    for (const { id } of home.devices) await observer.next(`hearth/${id}/availability`, (m) => m.text === 'online');

    await home.stop();
    for (const { id } of home.devices) await observer.next(`hearth/${id}/availability`, (m) => m.text === 'offline');
  });

  it('starts the demo home', async () => {
    home = await startDemoHome({ url: broker.url, tickMs: 0 });
    const observer = await availability();
    await observer.next('hearth/living-room-lamp/availability', (m) => m.text === 'online' && m.retain);
    expect(home.devices.map((d) => d.id)).toStrictEqual(demoHomeSpecs().map((s) => s.id));
  });

  it('leaves nothing connected when it cannot start', async () => {
    const url = broker.url;
    await broker.close();
    await expect(startDemoHome({ url, count: 3, tickMs: 0 })).rejects.toThrow();
    broker = await startBroker();
  });
});

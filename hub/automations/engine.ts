import { randomUUID } from 'node:crypto';
import type { Automation, AutomationDefinition, HomeSettings, Trace, Trigger } from '../protocol/automations.js';
import type { Clock } from './clock.js';
import type { Devices, Effects } from './context.js';
import { Runner, type Firing } from './runner.js';
import type { AutomationStore, Edit } from './store.js';
import { armTrigger } from './triggers/index.js';

/** Triggers a device's change fires: the ones an automation's own actions can set off again. */
const DEVICE_TRIGGERS = new Set<Trigger['kind']>(['state', 'numeric', 'availability']);
const LOOP_WINDOW_MS = 60_000;

export interface EngineDeps {
  store: AutomationStore;
  clock: Clock;
  home(): HomeSettings;
  devices: Devices;
  effects: Effects;
  /** Device-change firings allowed per automation per minute; more and it is stopped and flagged. */
  loopLimit: number;
  announce(id: string, automation: Automation | null): void;
  announceTrace(trace: Trace): void;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

interface Live {
  automation: Automation;
  runner: Runner;
  disarm: (() => void)[];
  /** When device-change triggers fired in the last minute, for the loop guard. */
  recentFirings: number[];
}

/**
 * The automations: kept in SQLite, armed while enabled, each with its runner. Edits arm the
 * new definition at once; every saved edit is kept.
 */
export class Automations {
  private readonly live = new Map<string, Live>();
  private started = false;

  constructor(private readonly deps: EngineDeps) {
    for (const automation of deps.store.load()) this.live.set(automation.id, this.make(automation));
  }

  list(): Automation[] {
    return [...this.live.values()].map((l) => l.automation).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(id: string): Automation | undefined {
    return this.live.get(id)?.automation;
  }

  start(): void {
    this.started = true;
    for (const live of this.live.values()) this.arm(live);
  }

  stop(): void {
    this.started = false;
    for (const live of this.live.values()) this.disarm(live, 'the hub is stopping');
  }

  /** The home moved or changed time zone: time and sun triggers are scheduled again. */
  rearm(): void {
    if (!this.started) return;
    for (const live of this.live.values()) {
      this.disarm(live, null);
      this.arm(live);
    }
  }

  create(definition: AutomationDefinition, editor: string | null, id: string = randomUUID()): Automation {
    const automation: Automation = { ...definition, id, enabled: true, flagged: null, updatedAt: this.deps.clock.now() };
    this.deps.store.save(automation);
    this.deps.store.recordEdit(id, automation.updatedAt, editor, definition);
    this.replace(automation);
    return automation;
  }

  update(id: string, definition: AutomationDefinition, editor: string | null): Automation | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const automation: Automation = { ...definition, id, enabled: current.enabled, flagged: current.flagged, updatedAt: this.deps.clock.now() };
    this.deps.store.save(automation);
    this.deps.store.recordEdit(id, automation.updatedAt, editor, definition);
    this.deps.store.clearHolds(id);
    this.replace(automation);
    return automation;
  }

  remove(id: string, editor: string | null): boolean {
    const live = this.live.get(id);
    if (!live) return false;
    this.disarm(live, 'removed');
    this.deps.store.remove(id);
    this.deps.store.recordEdit(id, this.deps.clock.now(), editor, null);
    this.live.delete(id);
    this.deps.announce(id, null);
    return true;
  }

  /** Enabling also clears the loop guard's flag: the user has looked at it. */
  setEnabled(id: string, enabled: boolean): Automation | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    if (!enabled) this.deps.store.clearHolds(id);
    return this.replace({ ...current, enabled, flagged: enabled ? null : current.flagged, updatedAt: this.deps.clock.now() }, true);
  }

  /** Runs the actions now, without the conditions, as Home Assistant's "run actions". */
  runNow(id: string): boolean {
    const live = this.live.get(id);
    live?.runner.fire({ index: -1, kind: 'manual', description: 'run by hand', skipConditions: true });
    return live !== undefined;
  }

  traces(id: string): Trace[] {
    return this.deps.store.traces(id);
  }

  edits(id: string): Edit[] {
    return this.deps.store.edits(id);
  }

  private replace(automation: Automation, save = false): Automation {
    if (save) this.deps.store.save(automation);
    const old = this.live.get(automation.id);
    if (old) this.disarm(old, 'edited');
    const live = this.make(automation);
    this.live.set(automation.id, live);
    if (this.started) this.arm(live);
    this.deps.announce(automation.id, automation);
    return automation;
  }

  private make(automation: Automation): Live {
    const live: Live = { automation, disarm: [], recentFirings: [], runner: null as unknown as Runner };
    live.runner = new Runner(() => live.automation, {
      clock: this.deps.clock,
      conditions: { clock: this.deps.clock, home: this.deps.home, devices: this.deps.devices },
      effects: this.deps.effects,
      publish: (trace) => this.publishTrace(trace),
      log: this.deps.log,
    });
    return live;
  }

  private arm(live: Live): void {
    const { automation } = live;
    if (!automation.enabled) return;
    const { store, clock } = this.deps;
    for (const [index, trigger] of automation.triggers.entries()) {
      try {
        live.disarm.push(
          armTrigger(trigger, {
            clock,
            home: this.deps.home,
            devices: this.deps.devices,
            log: this.deps.log,
            // A hold that cannot be written (full disk) still runs; only a restart would forget it.
            holds: {
              since: () => this.guarded('read a hold', () => store.holdSince(automation.id, index)),
              start: (since) => this.guarded('keep a hold', () => store.startHold(automation.id, index, since)),
              clear: () => this.guarded('clear a hold', () => store.clearHold(automation.id, index)),
            },
            // Never inside the registry's own notification: the run begins once it has finished.
            fire: (description) => queueMicrotask(() => this.guarded('start a run', () => this.fired(live, { index, kind: trigger.kind, description }))),
          }),
        );
      } catch (error) {
        this.deps.log.error({ err: error, automation: automation.id, trigger: index }, 'a trigger could not be armed');
      }
    }
  }

  private disarm(live: Live, cancelRuns: string | null): void {
    for (const stop of live.disarm.splice(0)) stop();
    if (cancelRuns) live.runner.cancelAll(cancelRuns);
  }

  private fired(live: Live, firing: Firing): void {
    if (this.live.get(live.automation.id) !== live || !live.automation.enabled) return;
    if (DEVICE_TRIGGERS.has(firing.kind as Trigger['kind']) && this.loops(live)) return;
    live.runner.fire(firing);
  }

  /**
   * The loop guard: an automation whose device triggers fire more than `loopLimit` times in a
   * minute is most likely setting itself off (its action changes what it watches). It is
   * disabled and flagged with the reason, for the user to look at.
   */
  private loops(live: Live): boolean {
    const now = this.deps.clock.now();
    live.recentFirings = live.recentFirings.filter((at) => now - at < LOOP_WINDOW_MS);
    live.recentFirings.push(now);
    if (live.recentFirings.length <= this.deps.loopLimit) return false;
    const reason = `stopped by the loop guard: triggered more than ${this.deps.loopLimit} times in a minute`;
    this.deps.log.warn({ automation: live.automation.id }, reason);
    this.disarm(live, reason);
    this.deps.store.clearHolds(live.automation.id);
    this.replace({ ...live.automation, enabled: false, flagged: reason, updatedAt: now }, true);
    return true;
  }

  /** Timers and microtasks have no caller to throw to: a failure there is logged, never a crash. */
  private guarded<T>(what: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.deps.log.error({ err: error }, `automations could not ${what}`);
      return undefined;
    }
  }

  private publishTrace(trace: Trace): void {
    try {
      this.deps.store.saveTrace(trace);
    } catch (error) {
      // A full disk costs the trace's record, not the run.
      this.deps.log.error({ err: error, automation: trace.automation }, 'a run trace could not be saved');
    }
    this.deps.announceTrace(trace);
  }
}

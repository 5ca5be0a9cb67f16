import { randomUUID } from 'node:crypto';
import type { Automation, Mode, Trace } from '../protocol/automations.js';
import type { Clock } from './clock.js';
import type { ConditionContext, Effects } from './context.js';
import { checkCondition } from './conditions/index.js';
import { performAction } from './actions/index.js';

/** Home Assistant's default `max` for queued and parallel automations. */
export const DEFAULT_MAX_RUNS = 10;

export interface Firing {
  index: number;
  kind: string;
  description: string;
  /** Run the actions without checking the conditions (a run asked for by hand). */
  skipConditions?: boolean;
}

export interface RunnerDeps {
  clock: Clock;
  conditions: ConditionContext;
  effects: Effects;
  /** Every step of a trace, as it is: saved and announced. */
  publish(trace: Trace): void;
  log: { info(obj: object, msg: string): void };
}

class Stopped extends Error {
  constructor(why: string) {
    super(why);
  }
}

type ModeRule = (runner: Runner, firing: Firing) => void;

/**
 * What a trigger firing during a run does, as Home Assistant's automation modes
 * (https://www.home-assistant.io/docs/automation/modes/): `single` ignores it, `restart`
 * stops the run and starts anew, `queued` runs it after the others, in order, `parallel`
 * starts it beside them. Queued and parallel hold at most `max`; beyond that a firing is dropped.
 */
const MODE_RULES: Record<Mode, ModeRule> = {
  single: (r, f) => (r.active === 0 ? r.start(f) : r.drop(f, 'already running (single)')),
  restart: (r, f) => {
    r.cancelAll('restarted by a new trigger');
    r.start(f);
  },
  queued: (r, f) => (r.active === 0 ? r.start(f) : r.waiting < r.max ? r.enqueue(f) : r.drop(f, 'queue full')),
  parallel: (r, f) => (r.active < r.max ? r.start(f) : r.drop(f, 'too many runs at once')),
};

/** One automation's runs: modes, cancellation, and a trace of each run. */
export class Runner {
  private readonly runs = new Set<AbortController>();
  private readonly queue: Firing[] = [];

  constructor(
    private readonly automation: () => Automation,
    private readonly deps: RunnerDeps,
  ) {}

  get active(): number {
    return this.runs.size;
  }

  get waiting(): number {
    return this.queue.length;
  }

  get max(): number {
    return this.automation().max ?? DEFAULT_MAX_RUNS;
  }

  fire(firing: Firing): void {
    MODE_RULES[this.automation().mode](this, firing);
  }

  start(firing: Firing): void {
    const control = new AbortController();
    this.runs.add(control);
    void this.execute(firing, control.signal).finally(() => {
      this.runs.delete(control);
      const next = this.queue.shift();
      if (next) this.start(next);
    });
  }

  enqueue(firing: Firing): void {
    this.queue.push(firing);
  }

  drop(firing: Firing, why: string): void {
    this.deps.log.info({ automation: this.automation().id, trigger: firing.description }, `trigger ignored: ${why}`);
  }

  /** Stops every run and forgets queued ones: the automation was restarted, disabled, edited or the hub stops. */
  cancelAll(why: string): void {
    this.queue.length = 0;
    for (const control of this.runs) control.abort(new Stopped(why));
  }

  private async execute(firing: Firing, signal: AbortSignal): Promise<void> {
    const automation = this.automation();
    const { clock } = this.deps;
    const trace: Trace = {
      id: randomUUID(),
      automation: automation.id,
      startedAt: clock.now(),
      endedAt: null,
      trigger: { index: firing.index, kind: firing.kind, description: firing.description },
      conditions: [],
      actions: [],
      result: 'running',
    };
    const end = (result: Trace['result']) => this.deps.publish({ ...trace, result, endedAt: clock.now() });
    if (!firing.skipConditions) {
      for (const [index, condition] of automation.conditions.entries()) {
        const verdict = checkCondition(condition, this.deps.conditions);
        trace.conditions.push({ index, kind: condition.kind, ...verdict });
        if (!verdict.passed) return end('conditions-failed');
      }
    }
    this.deps.publish(trace);
    let failed = false;
    for (const [index, action] of automation.actions.entries()) {
      try {
        if (signal.aborted) throw signal.reason;
        const outcome = await performAction(action, { clock, signal, automation: automation.id, effects: this.deps.effects });
        trace.actions.push({ index, kind: action.kind, at: clock.now(), ...outcome });
        // One device not answering does not keep the rest of the actions from running.
        failed ||= outcome.status === 'failed';
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        trace.actions.push({ index, kind: action.kind, at: clock.now(), status: signal.aborted ? 'cancelled' : 'failed', detail: why });
        return end(signal.aborted ? 'cancelled' : 'failed');
      }
      if (index < automation.actions.length - 1) this.deps.publish({ ...trace, actions: [...trace.actions] });
    }
    end(failed ? 'failed' : 'done');
  }
}

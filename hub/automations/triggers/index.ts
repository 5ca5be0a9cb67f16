import type { Trigger } from '../../protocol/automations.js';
import type { TriggerContext } from '../context.js';
import { availabilityTrigger } from './availability.js';
import { intervalTrigger } from './interval.js';
import { numericTrigger } from './numeric.js';
import { stateTrigger } from './state.js';
import { sunTrigger } from './sun.js';
import { timeTrigger } from './time.js';

export interface TriggerKind<T extends Trigger> {
  /** Starts watching; returns what stops it. */
  arm(trigger: T, ctx: TriggerContext): () => void;
}

type Kinds = { [K in Trigger['kind']]: TriggerKind<Extract<Trigger, { kind: K }>> };

export const TRIGGERS: Kinds = {
  state: stateTrigger,
  numeric: numericTrigger,
  availability: availabilityTrigger,
  time: timeTrigger,
  sun: sunTrigger,
  interval: intervalTrigger,
};

export function armTrigger(trigger: Trigger, ctx: TriggerContext): () => void {
  return (TRIGGERS[trigger.kind] as TriggerKind<Trigger>).arm(trigger, ctx);
}

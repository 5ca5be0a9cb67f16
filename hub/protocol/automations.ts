/**
 * Scenes, automations, their traces and notifications, as data: shared by hub and dashboard.
 * Pure types; the schemas that check them live in hub/automations/schema.ts.
 */
import type { DeviceCommand, StateValue } from './device.js';
import type { CommandFailure, CommandRecord } from './messages.js';

/** One device's target in a scene or a group action. */
export interface Target {
  device: string;
  command: DeviceCommand;
}

export interface Scene {
  id: string;
  name: string;
  targets: Target[];
  position: number;
}

/** A scene as the API shows it: which of its devices the hub no longer knows. */
export interface SceneView extends Scene {
  missing: string[];
}

/** What a group of commands came to: a scene, a room's lights, the home's lights. */
export interface GroupReport {
  /** True when every device confirmed. */
  done: boolean;
  confirmed: string[];
  failed: { device: string; reason: CommandFailure | 'not-found' | 'invalid' }[];
  commands: CommandRecord[];
}

/** `HH:MM` on the home's clock. */
export type TimeOfDay = string;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Triggers, as Home Assistant names them: `state` (a property changes; with `to`/`from`),
 * `numeric` (a property crosses into above/below), each with an optional `forMs` (stays so
 * for that long); `availability`; `time`; `sun`; `interval`.
 */
export type Trigger =
  | { kind: 'state'; device: string; property: string; to?: StateValue; from?: StateValue; forMs?: number }
  | { kind: 'numeric'; device: string; property: string; above?: number; below?: number; forMs?: number }
  | { kind: 'availability'; device: string; online: boolean; forMs?: number }
  | { kind: 'time'; at: TimeOfDay }
  | { kind: 'sun'; event: 'sunrise' | 'sunset'; offsetMinutes: number }
  | { kind: 'interval'; everySeconds: number };

export type Condition =
  | { kind: 'state'; device: string; property: string; equals: StateValue }
  | { kind: 'numeric'; device: string; property: string; above?: number; below?: number }
  | { kind: 'time'; after: TimeOfDay; before: TimeOfDay }
  | { kind: 'weekday'; days: Weekday[] };

export type Action =
  | { kind: 'command'; device: string; command: DeviceCommand }
  | { kind: 'scene'; scene: string }
  /** All lights of a room (or of the home when `room` is null) on or off. */
  | { kind: 'room'; room: string | null; on: boolean; brightness?: number }
  | { kind: 'delay'; seconds: number }
  | { kind: 'notify'; message: string }
  | { kind: 'automation'; automation: string; enabled: boolean };

/** What happens when a trigger fires while a run is still going (Home Assistant's `mode`). */
export const MODES = ['single', 'restart', 'queued', 'parallel'] as const;
export type Mode = (typeof MODES)[number];

/** What a user writes: everything but the hub's own bookkeeping. */
export interface AutomationDefinition {
  name: string;
  mode: Mode;
  /** Runs allowed at once (parallel) or waiting (queued); Home Assistant's `max`, default 10. */
  max?: number;
  triggers: Trigger[];
  conditions: Condition[];
  actions: Action[];
}

export interface Automation extends AutomationDefinition {
  id: string;
  enabled: boolean;
  /** Why the hub stopped it (the loop guard), or null. */
  flagged: string | null;
  updatedAt: number;
}

export type StepStatus = 'ok' | 'failed' | 'cancelled';

export interface TraceStep {
  index: number;
  kind: string;
  status: StepStatus;
  detail: string;
  commands?: CommandRecord[];
  at: number;
}

/** One run: what triggered it, each condition's result, each action's outcome. */
export interface Trace {
  id: string;
  automation: string;
  startedAt: number;
  endedAt: number | null;
  trigger: { index: number; kind: string; description: string };
  conditions: { index: number; kind: string; passed: boolean; detail: string }[];
  actions: TraceStep[];
  result: 'running' | 'done' | 'conditions-failed' | 'failed' | 'cancelled';
}

export interface Notification {
  id: string;
  at: number;
  message: string;
  automation: string | null;
}

export interface HomeSettings {
  /** IANA time zone name, e.g. `Europe/London`. */
  timeZone: string;
  latitude: number | null;
  longitude: number | null;
}

/** What triggers, conditions and actions are handed: the hub as far as they need it. */
import type { GroupReport, HomeSettings } from '../protocol/automations.js';
import type { Device } from '../protocol/device.js';
import type { SendResult } from '../commands/commands.js';
import type { ChangeListener } from '../registry/registry.js';
import type { Clock } from './clock.js';

export interface Devices {
  get(id: string): Device | undefined;
  subscribe(listener: ChangeListener): () => void;
}

/** When a "stays for" hold began, kept in the database so a restart does not start it over. */
export interface Holds {
  since(): number | undefined;
  start(since: number): void;
  clear(): void;
}

export interface TriggerContext {
  clock: Clock;
  home(): HomeSettings;
  devices: Devices;
  holds: Holds;
  /** The trigger fired; `description` goes into the run's trace. */
  fire(description: string): void;
  log: { warn(obj: object, msg: string): void };
}

export interface ConditionContext {
  clock: Clock;
  home(): HomeSettings;
  devices: Devices;
}

/** The hub's ways of acting, all through the one command path (hub/commands). */
export interface Effects {
  send(device: string, command: unknown): SendResult;
  applyScene(id: string): Promise<(GroupReport & { missing: string[] }) | null>;
  roomLights(room: string | null, on: boolean, brightness?: number): Promise<GroupReport | null>;
  notify(message: string, automation: string): void;
  setEnabled(automation: string, enabled: boolean): boolean;
}

export interface ActionContext {
  clock: Clock;
  signal: AbortSignal;
  automation: string;
  effects: Effects;
}

import { commandValidator, describeErrors } from '../capabilities/index.js';
import type { AutomationDefinition, Target } from '../protocol/automations.js';
import type { Device } from '../protocol/device.js';

/**
 * What the schema cannot see: a numeric test without bounds, a command a known device does not
 * take. A device the hub does not know (yet) is allowed: it may be paired later.
 */
export function automationProblems(definition: AutomationDefinition, device: (id: string) => Device | undefined): string[] {
  const problems: string[] = [];
  definition.triggers.forEach((t, i) => {
    if (t.kind === 'numeric' && t.above === undefined && t.below === undefined) problems.push(`triggers/${i}: give above, below or both`);
  });
  definition.conditions.forEach((c, i) => {
    if (c.kind === 'numeric' && c.above === undefined && c.below === undefined) problems.push(`conditions/${i}: give above, below or both`);
  });
  definition.actions.forEach((a, i) => {
    if (a.kind === 'command') problems.push(...targetProblems([a], device).map((p) => `actions/${i}: ${p}`));
  });
  return problems;
}

export function targetProblems(targets: readonly Target[], device: (id: string) => Device | undefined): string[] {
  const problems: string[] = [];
  for (const target of targets) {
    const known = device(target.device);
    if (!known) continue;
    const validator = commandValidator(known.capabilities);
    if (!validator.Check(target.command)) problems.push(`${target.device}: ${describeErrors(validator, target.command)}`);
  }
  return problems;
}

import type { Action, GroupReport, StepStatus } from '../../protocol/automations.js';
import type { CommandRecord } from '../../protocol/messages.js';
import { delay } from '../clock.js';
import type { ActionContext } from '../context.js';

export interface Outcome {
  status: StepStatus;
  detail: string;
  commands?: CommandRecord[];
}

type Perform<A extends Action> = (action: A, ctx: ActionContext) => Promise<Outcome>;
type Kinds = { [K in Action['kind']]: Perform<Extract<Action, { kind: K }>> };

/**
 * Each action kind. Devices are commanded through the hub's one command path, and each
 * command is followed to its confirmation or failure, which the trace keeps.
 */
export const ACTIONS: Kinds = {
  command: async (a, ctx) => {
    const sent = ctx.effects.send(a.device, a.command);
    if (!sent.ok) return { status: 'failed', detail: `${a.device}: ${sent.message}`, ...('record' in sent ? { commands: [sent.record] } : {}) };
    const record = await sent.settled;
    return { status: record.status === 'confirmed' ? 'ok' : 'failed', detail: `${a.device} ${record.status}${record.reason ? ` (${record.reason})` : ''}`, commands: [record] };
  },
  scene: async (a, ctx) => {
    const report = await ctx.effects.applyScene(a.scene);
    if (!report) return { status: 'failed', detail: `scene '${a.scene}' not found` };
    const missing = report.missing.length ? `; removed devices: ${report.missing.join(', ')}` : '';
    return fromReport(report, `scene ${a.scene}${missing}`, report.missing.length === 0);
  },
  room: async (a, ctx) => {
    const report = await ctx.effects.roomLights(a.room, a.on, a.brightness);
    if (!report) return { status: 'failed', detail: `room '${a.room}' not found` };
    return fromReport(report, `${a.room === null ? 'home' : `room ${a.room}`} lights ${a.on ? 'on' : 'off'}`, true);
  },
  delay: async (a, ctx) => {
    await delay(ctx.clock, a.seconds * 1000, ctx.signal);
    return { status: 'ok', detail: `waited ${a.seconds} s` };
  },
  notify: async (a, ctx) => {
    ctx.effects.notify(a.message, ctx.automation);
    return { status: 'ok', detail: a.message };
  },
  automation: async (a, ctx) => {
    const found = ctx.effects.setEnabled(a.automation, a.enabled);
    return found ? { status: 'ok', detail: `${a.enabled ? 'enabled' : 'disabled'} ${a.automation}` } : { status: 'failed', detail: `automation '${a.automation}' not found` };
  },
};

function fromReport(report: GroupReport, what: string, complete: boolean): Outcome {
  const failed = report.failed.map((f) => `${f.device} (${f.reason})`).join(', ');
  const detail = `${what}: ${report.confirmed.length} confirmed${failed ? `, no answer from ${failed}` : ''}`;
  return { status: report.done && complete ? 'ok' : 'failed', detail, commands: report.commands };
}

export function performAction(action: Action, ctx: ActionContext): Promise<Outcome> {
  return (ACTIONS[action.kind] as Perform<Action>)(action, ctx);
}

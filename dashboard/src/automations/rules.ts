/**
 * One form per trigger, condition and action kind, picked from a table by kind, with the
 * fresh rule each starts from. Adding a kind is one entry here (and one module in the hub).
 */
import { html, type TemplateResult } from 'lit';
import type { Action, Condition, Trigger } from '../../../hub/protocol/automations.js';
import { WEEKDAYS } from '../../../hub/protocol/automations.js';
import { capabilityOf, choice, defaultValue, isNumeric, numberField, pickDevice, pickProperty, pickValue, type EditorData } from './pickers.js';

type Form<R> = (rule: R, set: (rule: R) => void, data: EditorData) => TemplateResult;
interface Kind<R> {
  label: string;
  fresh: (data: EditorData) => R;
  form: Form<R>;
}
type Table<U extends { kind: string }> = { [K in U['kind']]: Kind<Extract<U, { kind: K }>> };

const firstDevice = (data: EditorData, keep: (d: EditorData['devices'][number]) => boolean = () => true) => data.devices.find(keep)?.id ?? '';
const minutes = (ms: number | undefined) => (ms === undefined ? undefined : ms / 60_000);
const timeField = (label: string, value: string, set: (v: string) => void) =>
  html`<label>${label} <input type="time" aria-label=${label} .value=${value} @change=${(e: Event) => set((e.target as HTMLInputElement).value)} /></label>`;

/** Device, then property, then value: the state rule's form, shared by trigger and condition. */
function deviceProperty<R extends { device: string; property: string }>(rule: R, set: (r: R) => void, data: EditorData, numeric: boolean) {
  const device = data.devices.find((d) => d.id === rule.device);
  return html`${pickDevice('Device', rule.device, data.devices, (id) => set({ ...rule, device: id, property: '' }))}
    ${pickProperty(device, rule.property, (c) => (numeric ? isNumeric(c) : true), (property) => set({ ...rule, property, ...(numeric ? {} : { [valueKey(rule)]: defaultValue(capabilityOf(data.devices, rule.device, property)) }) }))}`;
}
const valueKey = (rule: object) => ('equals' in rule ? 'equals' : 'to');

const bounds = <R extends { above?: number; below?: number }>(rule: R, set: (r: R) => void) =>
  html`${numberField('Above', rule.above, (above) => set(withOptional(rule, 'above', above)))}${numberField('Below', rule.below, (below) => set(withOptional(rule, 'below', below)))}`;

function withOptional<R, K extends keyof R>(rule: R, key: K, value: R[K] | undefined): R {
  const next = { ...rule };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

const forField = <R extends { forMs?: number }>(rule: R, set: (r: R) => void) =>
  numberField('For (minutes, optional)', minutes(rule.forMs), (m) => set(withOptional(rule, 'forMs', m === undefined || m <= 0 ? undefined : Math.round(m * 60_000))), { min: 0 });

export const TRIGGER_KINDS: Table<Trigger> = {
  state: {
    label: 'A device changes',
    fresh: (data) => ({ kind: 'state', device: firstDevice(data), property: '' }),
    form: (rule, set, data) =>
      html`${deviceProperty(rule, set, data, false)}${pickValue('To', capabilityOf(data.devices, rule.device, rule.property), rule.to, (to) => set({ ...rule, to }))}${forField(rule, set)}`,
  },
  numeric: {
    label: 'A reading crosses a threshold',
    fresh: (data) => ({ kind: 'numeric', device: firstDevice(data, (d) => d.capabilities.some(isNumeric)), property: '', above: 0 }),
    form: (rule, set, data) => html`${deviceProperty(rule, set, data, true)}${bounds(rule, set)}${forField(rule, set)}`,
  },
  availability: {
    label: 'A device goes offline or online',
    fresh: (data) => ({ kind: 'availability', device: firstDevice(data), online: false }),
    form: (rule, set, data) =>
      html`${pickDevice('Device', rule.device, data.devices, (device) => set({ ...rule, device }))}${choice('Goes', rule.online ? 'online' : 'offline', [['offline', 'Offline'], ['online', 'Online']], (v) => set({ ...rule, online: v === 'online' }))}${forField(rule, set)}`,
  },
  time: { label: 'At a time of day', fresh: () => ({ kind: 'time', at: '07:00' }), form: (rule, set) => timeField('At', rule.at, (at) => set({ ...rule, at })) },
  sun: {
    label: 'At sunrise or sunset',
    fresh: () => ({ kind: 'sun', event: 'sunset', offsetMinutes: 0 }),
    form: (rule, set) =>
      html`${choice('Event', rule.event, [['sunrise', 'Sunrise'], ['sunset', 'Sunset']], (event) => set({ ...rule, event }))}${numberField('Offset (minutes, minus for before)', rule.offsetMinutes, (m) => set({ ...rule, offsetMinutes: Math.round(m ?? 0) }), { step: 1 })}`,
  },
  interval: { label: 'Every so often', fresh: () => ({ kind: 'interval', everySeconds: 300 }), form: (rule, set) => numberField('Every (seconds)', rule.everySeconds, (s) => set({ ...rule, everySeconds: Math.max(1, Math.round(s ?? 1)) }), { min: 1, step: 1 }) },
};

export const CONDITION_KINDS: Table<Condition> = {
  state: {
    label: 'A device is in a state',
    fresh: (data) => ({ kind: 'state', device: firstDevice(data), property: '', equals: true }),
    form: (rule, set, data) => html`${deviceProperty(rule, set, data, false)}${pickValue('Is', capabilityOf(data.devices, rule.device, rule.property), rule.equals, (equals) => set({ ...rule, equals }))}`,
  },
  numeric: {
    label: 'A reading is in a range',
    fresh: (data) => ({ kind: 'numeric', device: firstDevice(data, (d) => d.capabilities.some(isNumeric)), property: '', above: 0 }),
    form: (rule, set, data) => html`${deviceProperty(rule, set, data, true)}${bounds(rule, set)}`,
  },
  time: { label: 'Between two times', fresh: () => ({ kind: 'time', after: '22:00', before: '06:00' }), form: (rule, set) => html`${timeField('After', rule.after, (after) => set({ ...rule, after }))}${timeField('Before', rule.before, (before) => set({ ...rule, before }))}` },
  weekday: {
    label: 'On certain days',
    fresh: () => ({ kind: 'weekday', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
    form: (rule, set) =>
      html`<fieldset><legend>Days</legend>${WEEKDAYS.map(
        (day) => html`<label class="check"><input type="checkbox" .checked=${rule.days.includes(day)} @change=${(e: Event) => {
          const on = (e.target as HTMLInputElement).checked;
          const days = WEEKDAYS.filter((d) => (d === day ? on : rule.days.includes(d)));
          if (days.length) set({ ...rule, days });
        }} />${day}</label>`,
      )}</fieldset>`,
  },
};

export const ACTION_KINDS: Table<Action> = {
  command: {
    label: 'Set a device',
    fresh: (data) => ({ kind: 'command', device: firstDevice(data, (d) => d.kind !== 'sensor'), command: { on: true } }),
    form: (rule, set, data) => {
      const device = data.devices.find((d) => d.id === rule.device);
      const property = Object.keys(rule.command)[0] ?? '';
      const capability = capabilityOf(data.devices, rule.device, property);
      return html`${pickDevice('Device', rule.device, data.devices.filter((d) => d.kind !== 'sensor'), (id) => set({ ...rule, device: id, command: { on: true } }))}
        ${pickProperty(device, property, (c) => c.writable && c.type !== 'color', (p) => set({ ...rule, command: { [p]: defaultValue(capabilityOf(data.devices, rule.device, p)) } }))}
        ${pickValue('To', capability, rule.command[property as keyof typeof rule.command] as never, (v) => set({ ...rule, command: { [property]: v } }))}`;
    },
  },
  scene: { label: 'Apply a scene', fresh: (data) => ({ kind: 'scene', scene: data.scenes[0]?.id ?? '' }), form: (rule, set, data) => choice('Scene', rule.scene, data.scenes.map((s) => [s.id, s.name] as const), (scene) => set({ ...rule, scene })) },
  room: {
    label: 'Lights of a room or the home',
    fresh: () => ({ kind: 'room', room: null, on: false }),
    form: (rule, set, data) =>
      html`${choice('Where', rule.room ?? '', [['', 'The whole home'], ...data.rooms.map((r) => [r.id, r.name] as const)], (room) => set({ ...rule, room: room === '' ? null : room }))}
        ${choice('Lights', rule.on ? 'on' : 'off', [['on', 'On'], ['off', 'Off']], (v) => set(withOptional({ ...rule, on: v === 'on' }, 'brightness', v === 'on' ? rule.brightness : undefined)))}
        ${rule.on ? numberField('Brightness (1-255, optional)', rule.brightness, (b) => set(withOptional(rule, 'brightness', b)), { min: 1, max: 255, step: 1 }) : ''}`,
  },
  delay: { label: 'Wait', fresh: () => ({ kind: 'delay', seconds: 60 }), form: (rule, set) => numberField('Seconds', rule.seconds, (s) => set({ ...rule, seconds: Math.max(0, s ?? 0) }), { min: 0 }) },
  notify: {
    label: 'Notify the dashboards',
    fresh: () => ({ kind: 'notify', message: '' }),
    form: (rule, set) => html`<label>Message <input aria-label="Message" .value=${rule.message} maxlength="500" @change=${(e: Event) => set({ ...rule, message: (e.target as HTMLInputElement).value })} /></label>`,
  },
  automation: {
    label: 'Enable or disable an automation',
    fresh: (data) => ({ kind: 'automation', automation: data.automations[0]?.id ?? '', enabled: false }),
    form: (rule, set, data) =>
      html`${choice('Automation', rule.automation, data.automations.map((a) => [a.id, a.name] as const), (automation) => set({ ...rule, automation }))}${choice('Make it', rule.enabled ? 'on' : 'off', [['off', 'Disabled'], ['on', 'Enabled']], (v) => set({ ...rule, enabled: v === 'on' }))}`,
  },
};

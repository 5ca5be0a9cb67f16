import type { GroupReport } from '../../../hub/protocol/automations.js';
import type { Device } from '../../../hub/protocol/device.js';

const FAILURE_WORDS: Readonly<Record<string, string>> = {
  timeout: 'did not answer',
  offline: 'is offline',
  'publish-failed': 'could not be reached',
  'not-found': 'is no longer known',
  invalid: 'does not take this',
};

/** One line about a group action: done, or which devices did not follow and why. */
export function describeReport(what: string, report: GroupReport & { missing?: string[] }, devices: ReadonlyMap<string, Device>): string {
  const name = (id: string) => devices.get(id)?.name ?? id;
  const problems = [
    ...report.failed.map((f) => `${name(f.device)} ${FAILURE_WORDS[f.reason] ?? f.reason}`),
    ...(report.missing ?? []).map((id) => `${id} was removed`),
  ];
  if (problems.length === 0) return `${what}: done (${report.confirmed.length} ${report.confirmed.length === 1 ? 'device' : 'devices'} confirmed).`;
  return `${what}: ${problems.join('; ')}.`;
}

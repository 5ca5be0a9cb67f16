import { writeFileSync } from 'node:fs';
import type { Results, Row } from './report.js';
import { formatTable } from './report.js';
import type { PiLoad } from './scenarios/pi.js';
import type { ToggleResult } from './scenarios/toggle.js';
import type { ColdStartResult } from './scenarios/cold-start.js';

export interface PiResults {
  machine: Results['machine'];
  load: PiLoad[];
  toggle: ToggleResult;
  coldStart: ColdStartResult;
}

/** The Raspberry Pi issue's targets under the profile. */
export const PI_TARGETS = { toggleP99Ms: 50, idleCpuPercent: 2, idleRssMb: 80, coldStartMs: 3_000 };

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export function piRows({ load, toggle, coldStart: cold }: PiResults): Row[] {
  const loadRow = (l: PiLoad): Row => {
    const atRest = l.extraDevices === 0;
    return {
      scenario: atRest ? `demo home at rest (${l.seconds} s)` : `demo home + ${l.extraDevices} devices every 10 s (${l.seconds} s)`,
      result: `hub CPU ${l.cpuPercent}% of one core, RSS ${l.rssMb} MB`,
      bare: '',
      target: atRest ? `CPU ≤ ${PI_TARGETS.idleCpuPercent}%, RSS ≤ ${PI_TARGETS.idleRssMb} MB` : '',
      verdict: atRest ? verdict(l.cpuPercent <= PI_TARGETS.idleCpuPercent && l.rssMb <= PI_TARGETS.idleRssMb) : '',
    };
  };
  return [
    ...load.map(loadRow),
    {
      scenario: `toggle round trip (${toggle.devices} lights, ${toggle.dashboards} dashboards, ${toggle.toggles} toggles)`,
      result: `p50 ${toggle.roundTrip.p50} / p99 ${toggle.roundTrip.p99} / max ${toggle.roundTrip.max} ms`,
      bare: '',
      target: `p99 ≤ ${PI_TARGETS.toggleP99Ms} ms`,
      verdict: verdict(toggle.roundTrip.p99 <= PI_TARGETS.toggleP99Ms),
    },
    {
      scenario: `cold start (${cold.devices} devices, ${cold.historyRows.toLocaleString('en')} history rows, ${cold.databaseMb} MB)`,
      result: `median ${Math.round(cold.readyMs.p50)} ms, max ${Math.round(cold.readyMs.max)} ms to /api/health (${cold.readyMs.count} starts)`,
      bare: '',
      target: `≤ ${PI_TARGETS.coldStartMs} ms`,
      verdict: verdict(cold.readyMs.p50 <= PI_TARGETS.coldStartMs),
    },
  ];
}

export const formatPiTable = (results: PiResults) => formatTable(piRows(results));

export function writePiResults(dir: URL, results: PiResults): void {
  const { samples: _samples, ...toggle } = results.toggle;
  writeFileSync(new URL('pi.json', dir), `${JSON.stringify({ ...results, toggle }, null, 2)}\n`);
}

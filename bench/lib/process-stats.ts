import { readFileSync } from 'node:fs';

/** USER_HZ: what /proc reports CPU times in; 100 on every Linux Node supports. */
const TICKS_PER_SECOND = 100;

/** CPU seconds used so far and resident memory of a process, from /proc (Linux). */
export function processStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { cpuSeconds, rssMb: Math.round(rssKb / 102.4) / 10 };
}

/**
 * CPU use (percent of one core) of the hub and, together, of the load generators over a
 * stretch of work, and the hub's RSS at its end. On a small machine the generators compete
 * with the hub for the same cores, and the reader should see how much.
 */
export async function measure<T>(
  hubPid: number,
  generatorPids: readonly number[],
  work: () => Promise<T>,
  /** An external broker the hub uses, measured on its own. */
  brokerPid: number | null = null,
): Promise<{ result: T; hubCpuPercent: number; generatorsCpuPercent: number; brokerCpuPercent: number | null; hubRssMb: number; seconds: number }> {
  const cpu = (pids: readonly number[]) => pids.reduce((sum, pid) => sum + processStats(pid).cpuSeconds, 0);
  const brokerPids = brokerPid === null ? [] : [brokerPid];
  const before = { hub: cpu([hubPid]), generators: cpu(generatorPids), broker: cpu(brokerPids) };
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  const percent = (used: number) => Math.round((used / seconds) * 100);
  return {
    result,
    hubCpuPercent: percent(cpu([hubPid]) - before.hub),
    generatorsCpuPercent: percent(cpu(generatorPids) - before.generators),
    brokerCpuPercent: brokerPid === null ? null : percent(cpu(brokerPids) - before.broker),
    hubRssMb: processStats(hubPid).rssMb,
    seconds,
  };
}

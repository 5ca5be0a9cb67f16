import { readFileSync } from 'node:fs';

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

/** CPU use (percent of one core) and final RSS over a stretch of work. */
export async function measure<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; cpuPercent: number; rssMb: number; seconds: number }> {
  const before = processStats(pid);
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  const after = processStats(pid);
  return { result, cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100), rssMb: after.rssMb, seconds };
}

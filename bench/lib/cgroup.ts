import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A Raspberry Pi 3 or Zero 2 W, roughly: 30 % of one core (3 ms in every 10 ms) and 512 MiB. */
export const PI_LIMITS = { cpuQuotaUs: 3_000, cpuPeriodUs: 10_000, memoryBytes: 512 * 1024 * 1024 };

const V1 = { cpu: '/sys/fs/cgroup/cpu', memory: '/sys/fs/cgroup/memory' };
const NAME = 'hearth-bench-pi';

/**
 * Makes (or resets) a cgroup v1 group with the Pi's limits and returns the shell line that
 * moves a process into it before it `exec`s the hub, so the hub is limited from its first
 * instruction (cold start included). Needs root and cgroup v1 mounted at /sys/fs/cgroup/{cpu,memory}.
 */
export function piCgroup(): string {
  if (!existsSync(V1.cpu) || !existsSync(V1.memory)) throw new Error('--profile pi needs cgroup v1 at /sys/fs/cgroup/cpu and /sys/fs/cgroup/memory');
  const cpu = join(V1.cpu, NAME);
  const memory = join(V1.memory, NAME);
  mkdirSync(cpu, { recursive: true });
  mkdirSync(memory, { recursive: true });
  writeFileSync(join(cpu, 'cpu.cfs_period_us'), String(PI_LIMITS.cpuPeriodUs));
  writeFileSync(join(cpu, 'cpu.cfs_quota_us'), String(PI_LIMITS.cpuQuotaUs));
  writeFileSync(join(memory, 'memory.limit_in_bytes'), String(PI_LIMITS.memoryBytes));
  return `echo $$ > ${join(cpu, 'cgroup.procs')} && echo $$ > ${join(memory, 'cgroup.procs')} && exec "$0" "$@"`;
}

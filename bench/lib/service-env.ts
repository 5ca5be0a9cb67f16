import { readFileSync } from 'node:fs';

const UNIT = new URL('../../../deploy/hearth.service', import.meta.url);

/**
 * The variables deploy/hearth.service puts in the hub's environment (its `Environment=`
 * lines), apart from the hub's own settings (HUB_*), which the bench gives as flags. The Pi
 * profile runs every hub with them, so it measures the hub as the service runs it: the
 * allocator settings there take about 7 MB off a hub at rest.
 */
export function serviceEnvironment(): Record<string, string> {
  const lines = readFileSync(UNIT, 'utf8').split('\n').filter((line) => line.startsWith('Environment='));
  const pairs = lines.flatMap((line) => line.slice('Environment='.length).split(/\s+/).filter(Boolean));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]).filter(([name]) => !name!.startsWith('HUB_')));
}

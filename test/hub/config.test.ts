import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const result = loadConfig([], {});
    expect(result).toStrictEqual({
      ok: true,
      config: { httpPort: 8080, mqttPort: 1883, host: '0.0.0.0', dataDir: expect.stringMatching(/\/data$/), simulate: true, logLevel: 'info', journalSize: 100000, commandTimeoutMs: 5000, discoveryPrefix: 'homeassistant', historyRawDays: 7, historyMinuteDays: 30, historyHourDays: 730, mqttAnonymous: false, mqttMaxPacketBytes: 262144, mqttMaxConnectionsPerAddress: 100, mqttConnectsPerMinute: 120, mqttLimitLoopback: false },
    });
    expect(result.ok && Object.isFrozen(result.config)).toBe(true);
  });

  it('lets flags win over environment variables', () => {
    const result = loadConfig(['--http-port', '0', '--simulate=0'], { HUB_HTTP_PORT: '9000', HUB_MQTT_PORT: '1884', HUB_SIMULATE: '1' });
    expect(result.ok && result.config).toMatchObject({ httpPort: 0, mqttPort: 1884, simulate: false });
  });

  it.each([
    [['--http-port', 'eighty'], {}, /--http-port: invalid value "eighty"/],
    [[], { HUB_MQTT_PORT: '70000' }, /HUB_MQTT_PORT: invalid value "70000"/],
    [['--simulate=maybe'], {}, /--simulate: .*expected 1\/0/],
    [['--discovery-prefix', 'home/assistant'], {}, /--discovery-prefix: .*one MQTT topic level/],
    [['--colour', 'red'], {}, /Unknown option '--colour'/],
  ])('refuses %j %j with a precise error', (argv, env, message) => {
    const result = loadConfig(argv, env);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(message);
  });
});

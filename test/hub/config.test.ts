import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const result = loadConfig([], {});
    expect(result).toStrictEqual({
      ok: true,
      config: { httpPort: 8080, mqttPort: 1883, host: '0.0.0.0', dataDir: expect.stringMatching(/\/data$/), simulate: true, logLevel: 'info', journalSize: 100000, reportCommitSeconds: 60, commandTimeoutMs: 5000, discoveryPrefix: 'homeassistant', zigbee2mqttBaseTopic: 'zigbee2mqtt', historyRawDays: 7, historyMinuteDays: 30, historyHourDays: 730, tlsCert: null, tlsKey: null, mqttsPort: 8883, mqttAnonymous: false, mqttMaxPacketBytes: 262144, mqttMaxConnectionsPerAddress: 100, mqttConnectsPerMinute: 120, mqttLimitLoopback: false, mqttMaxQueued: 1000, mqttMaxRetained: 50000, mqttMaxRetainedBytes: 67108864, mqttMaxRetainedPerCredential: 5000, mqttMaxRetainedBytesPerCredential: 16777216, mqttUrl: null, mqttClientId: 'hearth-hub', httpMaxConnectionsPerAddress: 100, httpLimitLoopback: false, httpIdleTimeoutMs: 10000, publicHosts: [], backupDir: expect.stringMatching(/\/data\/backups$/), backupKeep: 7, backupHour: 3, historyMaxMb: 0, broker: 'embedded', mosquittoBin: '/usr/sbin/mosquitto', mqttDynsec: false, automationLoopLimit: 30 },
    });
    expect(result.ok && Object.isFrozen(result.config)).toBe(true);
  });

  it('lets flags win over environment variables', () => {
    const result = loadConfig(['--http-port', '0', '--simulate=0'], { HUB_HTTP_PORT: '9000', HUB_MQTT_PORT: '1884', HUB_SIMULATE: '1' });
    expect(result.ok && result.config).toMatchObject({ httpPort: 0, mqttPort: 1884, simulate: false });
  });

  it('takes how long device reports may wait for their commit, 0 for a commit before each is heard', () => {
    expect(loadConfig(['--report-commit-seconds', '0'], {})).toMatchObject({ ok: true, config: { reportCommitSeconds: 0 } });
    expect(loadConfig([], { HUB_REPORT_COMMIT_SECONDS: '10' })).toMatchObject({ ok: true, config: { reportCommitSeconds: 10 } });
  });

  it('takes a Zigbee2MQTT base topic of several levels', () => {
    expect(loadConfig(['--z2m-base-topic', 'home/zigbee'], {})).toMatchObject({ ok: true, config: { zigbee2mqttBaseTopic: 'home/zigbee' } });
  });

  it.each([
    [['--http-port', 'eighty'], {}, /--http-port: invalid value "eighty"/],
    [[], { HUB_MQTT_PORT: '70000' }, /HUB_MQTT_PORT: invalid value "70000"/],
    [['--simulate=maybe'], {}, /--simulate: .*expected 1\/0/],
    [['--discovery-prefix', 'home/assistant'], {}, /--discovery-prefix: .*one MQTT topic level/],
    [['--z2m-base-topic', 'zigbee/#'], {}, /--z2m-base-topic: .*without \+ or #/],
    [[], { HUB_Z2M_BASE_TOPIC: 'zigbee//x' }, /HUB_Z2M_BASE_TOPIC: invalid value/],
    [['--colour', 'red'], {}, /Unknown option '--colour'/],
    [['--broker', 'emqx'], {}, /--broker: .*expected one of embedded, mosquitto/],
    [['--broker', 'mosquitto', '--mqtt-url', 'mqtt://h:1883'], {}, /--broker mosquitto and --mqtt-url/],
    [[], { HUB_MQTT_DYNSEC: '1' }, /--mqtt-dynsec needs --mqtt-url/],
  ])('refuses %j %j with a precise error', (argv, env, message) => {
    const result = loadConfig(argv, env);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(message);
  });
});

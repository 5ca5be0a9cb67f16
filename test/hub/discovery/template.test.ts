import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../hub/discovery/template/index.js';

function run(source: string, payload: string): unknown {
  const template = compileTemplate(source);
  if (template instanceof Error) throw template;
  let parsed: unknown;
  return template(payload, () => (parsed ??= JSON.parse(payload)));
}

describe('value templates', () => {
  it.each([
    // Shapes as they appear in real discovery messages (Zigbee2MQTT, Tasmota, ESPHome, OpenMQTTGateway).
    ['{{ value_json.temperature }}', '{"temperature":21.5}', 21.5],
    ['{{ value_json.ENERGY.Power }}', '{"ENERGY":{"Power":41}}', 41],
    ["{{ value_json['POWER1'] }}", '{"POWER1":"ON"}', 'ON'],
    ['{{ value_json.list[1] }}', '{"list":[1,2]}', 2],
    ['{{ value }}', 'ON', 'ON'],
    ['{{ value | float }}', '21.30', 21.3],
    ['{{ value | int }}', '42.9', 42],
    ['{{ value_json.t | float | round(1) }}', '{"t":"21.345"}', 21.3],
    ['{{ value_json.missing | default(0) }}', '{}', 0],
    ['{{ value_json.missing | d("n/a") }}', '{}', 'n/a'],
    ['{{ value_json.state | lower }}', '{"state":"ONLINE"}', 'online'],
    ['{{ value_json.state | upper }}', '{"state":"on"}', 'ON'],
    ["{{ 'ON' if value_json.occupancy else 'OFF' }}", '{"occupancy":true}', 'ON'],
    ["{{ 'ON' if value_json.occupancy else 'OFF' }}", '{"occupancy":false}', 'OFF'],
    ['{{ value_json.Dimmer * 255 / 100 }}', '{"Dimmer":50}', 127.5],
    ['{{ (value_json.Dimmer * 2.55) | round }}', '{"Dimmer":100}', 255],
    ['{{ (value_json.t - 273) | round(1) }}', '{"t":300.44}', 27.4],
    // Filters bind tighter than arithmetic, as in Jinja.
    ['{{ value_json.t - 3 | abs }}', '{"t":10}', 7],
    ['{{ value_json.x is defined }}', '{"x":1}', true],
    ['{{ value_json.x is not defined }}', '{"x":1}', false],
    ["{% if value_json.POWER == 'ON' %}on{% else %}off{% endif %}", '{"POWER":"ON"}', 'on'],
    ["{% if value_json.v > 10 %}high{% elif value_json.v > 5 %}mid{% else %}low{% endif %}", '{"v":7}', 'mid'],
    ['{{ value_json.a and value_json.b }}', '{"a":1,"b":0}', 0],
    ["{{ value_json.rssi ~ ' dBm' }}", '{"rssi":-60}', '-60 dBm'],
    ['{{ float(value_json.x, 0) + 1 }}', '{"x":"abc"}', 1],
    ['Temp: {{ value_json.t }}', '{"t":true}', 'Temp: True'],
  ])('%s on %s gives %j', (source, payload, expected) => {
    expect(run(source, payload)).toStrictEqual(expected);
  });

  it.each([
    ["{{ states('sensor.x') }}", /function 'states'/],
    ['{{ value_json | tojson | regex_replace("a", "b") }}', /filter 'regex_replace'/],
    ['{% for x in value_json %}{{ x }}{% endfor %}', /'\{% for %\}' is not supported/],
    ['{{ now() }}', /function 'now'/],
    ['{{ this.state }}', /'this' is not available/],
    ['{{ value_json.a ', /unclosed/],
    ['{% if value %}x', /missing '\{% endif %\}'/],
    [`{{ ${'('.repeat(200)}1${')'.repeat(200)} }}`, /nests too deeply/],
    [`{{ value }}${'x'.repeat(5000)}`, /too long/],
  ])('refuses %s', (source, reason) => {
    const result = compileTemplate(source);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(reason);
  });

  it('gives undefined, not an exception, when the payload lacks the value or is not JSON', () => {
    expect(run('{{ value_json.a.b.c }}', '{"a":1}')).toBeUndefined();
    const template = compileTemplate('{{ value_json.x | float }}') as (v: string, j: () => unknown) => unknown;
    expect(template('garbage', () => undefined)).toBeUndefined();
  });
});

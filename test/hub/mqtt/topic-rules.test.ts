import { describe, expect, it } from 'vitest';
import { covers, filterProblem, topicProblem } from '../../../hub/mqtt/topic-rules.js';

describe('covers(pattern, filter)', () => {
  it.each([
    // A plain topic, as for PUBLISH.
    ['hearth/lamp/#', 'hearth/lamp/state', true],
    ['hearth/lamp/#', 'hearth/lamp', true], // [MQTT-4.7.1-2] `#` includes the parent level
    ['hearth/lamp/#', 'hearth/lampshade/state', false],
    ['hearth/lamp/#', 'hearth/other/set', false],
    ['homeassistant/+/lamp/+/config', 'homeassistant/light/lamp/light/config', true],
    ['homeassistant/+/lamp/+/config', 'homeassistant/light/other/light/config', false],
    ['homeassistant/+/lamp/+/config', 'homeassistant/light/lamp/config', false],
    ['a/+', 'a', false],
    ['a/+', 'a/', true], // an empty level is a level
    ['#', '$SYS/broker', false], // [MQTT-4.7.2-1]
    ['+/x', '$SYS/x', false],
    // Filters, as for SUBSCRIBE: allowed only if every topic they match is inside the pattern.
    ['hearth/lamp/#', 'hearth/lamp/#', true],
    ['hearth/lamp/#', 'hearth/lamp/+', true],
    ['hearth/lamp/#', 'hearth/+/set', false],
    ['hearth/lamp/#', 'hearth/#', false],
    ['hearth/lamp/#', '#', false],
    ['hearth/+/set', 'hearth/lamp/set', true],
    ['hearth/+/set', 'hearth/+/set', true],
    ['hearth/+/set', 'hearth/+/#', false],
    ['hearth/+/#', 'hearth/+/set', true],
    ['hearth/+/#', 'hearth/+', true],
    ['a/b', 'a/+', false],
    ['a/+', 'a/#', false], // `a/#` also matches `a` and `a/b/c`
    ['#', '#', true],
    ['#', 'a/+/#', true],
  ])('%s covers %s: %s', (pattern, filter, expected) => {
    expect(covers(pattern, filter)).toBe(expected);
  });
});

describe('topic and filter checks', () => {
  it.each([
    ['hearth/lamp/state', null],
    ['a\u0000b', 'contains U+0000'],
    ['a\uD800b', 'is not well-formed UTF-8'],
    ['a\uDC00', 'is not well-formed UTF-8'],
    ['a\uFFFD', 'is not well-formed UTF-8'],
    ['emoji/\u{1F600}', null], // a surrogate pair is well-formed
    ['hearth/__proto__/state', 'has the reserved level "__proto__"'],
    ['constructor', 'has the reserved level "constructor"'],
    ['x/prototype', 'has the reserved level "prototype"'],
    ['x'.repeat(1025), 'is longer than 1024 characters'],
    [Array.from({ length: 33 }, () => 'l').join('/'), 'has more than 32 levels'],
  ])('topicProblem(%j) is %j', (topic, problem) => {
    expect(topicProblem(topic)).toBe(problem);
  });

  it.each([
    ['hearth/sim-1/#', null],
    ['homeassistant/+/+/+/config', null],
    ['', 'is empty'],
    ['$SYS/#', 'starts with $, which is reserved for the broker'],
    ['a/#/b', 'has a wildcard that is not a whole level (# only last)'],
    ['a/b#', 'has a wildcard that is not a whole level (# only last)'],
    ['a/b+/c', 'has a wildcard that is not a whole level (# only last)'],
  ])('filterProblem(%j) is %j', (filter, problem) => {
    expect(filterProblem(filter)).toBe(problem);
  });
});

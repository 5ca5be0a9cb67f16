/**
 * What the hub accepts as a topic, topic filter or client id, and whether one topic
 * pattern covers a filter. Pure: no Node, no broker.
 */

/** Longest topic or filter accepted, in characters; real device topics stay under 200. */
export const MAX_TOPIC_LENGTH = 1024;
/** Most levels in a topic or filter; Homie, the deepest convention in use, needs 6. */
export const MAX_TOPIC_LEVELS = 32;

/**
 * Names that would reach object prototypes if any code keyed a plain object by them
 * (`toString`, `hasOwnProperty`, `__proto__`...): aedes keys its maps safely, but a hook,
 * a plugin or a persistence backend may not. A client id `toString` crashed a hub built
 * on aedes 2.0.0-beta.1.
 */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** C0 and C1 control characters but U+0000, which has its own rule; Mosquitto refuses them too. */
const CONTROL_CHARACTER = /[\u0001-\u001F\u007F-\u009F]/;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` may not appear in a packet, or null. mqtt-packet decodes strings with
 * `Buffer.toString('utf8')`, which turns ill-formed UTF-8 (an encoded surrogate
 * included) into U+FFFD, so a U+FFFD is taken as ill-formed input: a real device has no
 * reason to send one.
 */
export function stringProblem(text: string): string | null {
  // [MQTT-1.5.3-2] U+0000 must not appear in a UTF-8 encoded string.
  if (text.includes('\u0000')) return 'contains U+0000';
  // [MQTT-1.5.3-1] ill-formed UTF-8, including the encoding of a surrogate, closes the connection.
  if (text.includes('\uFFFD') || LONE_SURROGATE.test(text)) return 'is not well-formed UTF-8';
  // [MQTT-1.5.3] a SHOULD: control characters are refused, as Mosquitto's UTF-8 check does.
  if (CONTROL_CHARACTER.test(text)) return 'contains a control character';
  return null;
}

/**
 * Topics found acceptable already. A device publishes to the same few topics all day, and a
 * lookup costs a fraction of checking every message again; cleared when full, so a client
 * that invents topics cannot grow it.
 */
const accepted = new Set<string>();
const MAX_ACCEPTED = 50_000;

/** Why a topic or filter is refused; `malformed` when the spec says to close the connection for it. */
export interface TopicRefusal {
  reason: string;
  malformed: boolean;
}

/** Why a topic or filter is refused, or null. Wildcard placement is aedes' own check. */
export function topicRefusal(topic: string): TopicRefusal | null {
  if (accepted.has(topic)) return null;
  const refusal = checkTopic(topic);
  if (refusal === null) {
    if (accepted.size >= MAX_ACCEPTED) accepted.clear();
    accepted.add(topic);
  }
  return refusal;
}

export const topicProblem = (topic: string): string | null => topicRefusal(topic)?.reason ?? null;

function checkTopic(topic: string): TopicRefusal | null {
  const problem = stringProblem(topic);
  if (problem) return { reason: problem, malformed: true };
  const policy = (reason: string): TopicRefusal => ({ reason, malformed: false });
  if (topic.length > MAX_TOPIC_LENGTH) return policy(`is longer than ${MAX_TOPIC_LENGTH} characters`);
  const levels = topic.split('/');
  if (levels.length > MAX_TOPIC_LEVELS) return policy(`has more than ${MAX_TOPIC_LEVELS} levels`);
  const reserved = levels.find(isReservedName);
  return reserved ? policy(`has the reserved level "${reserved}"`) : null;
}

/** Why a topic filter someone wants to allow is unusable, or null. */
export function filterProblem(filter: string): string | null {
  if (filter === '') return 'is empty';
  if (filter.startsWith('$')) return 'starts with $, which is reserved for the broker';
  const levels = filter.split('/');
  // [MQTT-4.7.1-2] `#` alone in the last level; [MQTT-4.7.1-3] `+` alone in its level.
  if (levels.some((level, i) => (level.includes('#') && (level !== '#' || i !== levels.length - 1)) || (level.includes('+') && level !== '+'))) {
    return 'has a wildcard that is not a whole level (# only last)';
  }
  return topicProblem(filter);
}

export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);

/**
 * True when every topic `filter` can match is also matched by `pattern`, so a client
 * allowed `pattern` may subscribe to `filter`. A plain topic is a filter matching itself,
 * so this also decides publishing.
 */
export function covers(pattern: string, filter: string): boolean {
  const p = pattern.split('/');
  const f = filter.split('/');
  // [MQTT-4.7.2-1] wildcards in the first level never match topics starting with `$`.
  if (f[0]!.startsWith('$') && (p[0] === '+' || p[0] === '#')) return false;
  for (let i = 0; ; i++) {
    // `a/#` matches `a` itself as well as everything below it [MQTT-4.7.1-2].
    if (p[i] === '#') return true;
    if (i === f.length) return i === p.length;
    if (i === p.length) return false;
    // A filter's `#` matches any depth, which only a pattern's `#` (above) covers.
    if (f[i] === '#') return false;
    if (f[i] === '+' && p[i] !== '+') return false;
    if (p[i] !== '+' && p[i] !== f[i]) return false;
  }
}

export const coveredByAny = (patterns: readonly string[], filter: string): boolean => patterns.some((p) => covers(p, filter));

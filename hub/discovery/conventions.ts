import type { DiscoveryConvention } from '../bridge/bridge.js';
import { DISCOVERY_PREFIX } from '../protocol/topics.js';
import { normaliseHomeAssistant } from './home-assistant/normalise.js';

/** Every discovery convention the hub understands; adding one is one entry. */
export const conventions: readonly DiscoveryConvention[] = [
  {
    name: 'homeassistant',
    matches: (topic) => topic.startsWith(`${DISCOVERY_PREFIX}/`) && topic.endsWith('/config'),
    normalise: normaliseHomeAssistant,
  },
];

/**
 * MQTT topics. Devices announce themselves with Home Assistant MQTT discovery
 * (`<prefix>/<component>/<node_id>/<object_id>/config`, retained); the hub's own
 * simulated devices use a Zigbee2MQTT-like layout under `hearth/<device id>/`.
 */
export const DISCOVERY_PREFIX = 'homeassistant';

/** Home Assistant's birth topic: devices re-announce when `online` arrives here. */
export const BIRTH_TOPIC = `${DISCOVERY_PREFIX}/status`;
export const BIRTH_ONLINE = 'online';

export const DEVICE_ROOT = 'hearth';

/** `Living room lamp` becomes `living-room-lamp`: safe in a topic level and a URL. */
export const deviceIdFor = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export const deviceTopics = (id: string) => ({
  /** JSON state, published by the device on every change. */
  state: `${DEVICE_ROOT}/${id}/state`,
  /** JSON command, e.g. `{"state":"ON","brightness":128}`. */
  set: `${DEVICE_ROOT}/${id}/set`,
  /** `online` / `offline`, retained; `offline` is also the last will. */
  availability: `${DEVICE_ROOT}/${id}/availability`,
});

export const AVAILABLE = 'online';
export const NOT_AVAILABLE = 'offline';

export const discoveryTopic = (component: string, nodeId: string, objectId: string) =>
  `${DISCOVERY_PREFIX}/${component}/${nodeId}/${objectId}/config`;

/** The living room lamp as a Home Assistant JSON light, on the topics its own credential (`lamp`) may use. */
export const LAMP_CONFIG = {
  name: null,
  schema: 'json',
  state_topic: 'hearth/lamp/state',
  command_topic: 'hearth/lamp/set',
  availability_topic: 'hearth/lamp/availability',
  unique_id: 'lamp_light',
  device: { identifiers: ['lamp-0001'], name: 'Living room lamp' },
};

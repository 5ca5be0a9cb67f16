/** Homie devices as the convention's own examples describe them, for the unit and end-to-end tests. */
export type Message = [topic: string, payload: string];

/**
 * Homie 4.0.0, "Device Attributes", "Node Attributes" and "Property Attributes": the spec's
 * super-car, exactly as its examples list it (homieiot/convention, convention.md at v4.0.0).
 * `speed` and `direction` are listed but never described, so they are not shown.
 */
export const superCarV4: Message[] = [
  ['homie/super-car/$homie', '4.0.0'],
  ['homie/super-car/$name', 'Super car'],
  ['homie/super-car/$extensions', ''],
  ['homie/super-car/$nodes', 'wheels,engine,lights'],
  ['homie/super-car/$implementation', 'esp8266'],
  ['homie/super-car/$state', 'ready'],
  ['homie/super-car/engine/$name', 'Car engine'],
  ['homie/super-car/engine/$type', 'V8'],
  ['homie/super-car/engine/$properties', 'speed,direction,temperature'],
  ['homie/super-car/engine/temperature/$name', 'Engine temperature'],
  ['homie/super-car/engine/temperature/$settable', 'false'],
  ['homie/super-car/engine/temperature/$unit', '°C'],
  ['homie/super-car/engine/temperature/$datatype', 'float'],
  ['homie/super-car/engine/temperature/$format', '-20:120'],
  ['homie/super-car/engine/temperature', '21.5'],
];

/**
 * Homie 4.0.0, "Property command topic": "a kitchen-light device exposing the light node with
 * a settable power property". The spec shows only the topics; the attributes are what its text says.
 */
export const kitchenLightV4: Message[] = [
  ['homie/kitchen-light/$homie', '4.0.0'],
  ['homie/kitchen-light/$name', 'Kitchen light'],
  ['homie/kitchen-light/$nodes', 'light'],
  ['homie/kitchen-light/light/$name', 'Light'],
  ['homie/kitchen-light/light/$type', 'light'],
  ['homie/kitchen-light/light/$properties', 'power'],
  ['homie/kitchen-light/light/power/$name', 'Power'],
  ['homie/kitchen-light/light/power/$datatype', 'boolean'],
  ['homie/kitchen-light/light/power/$settable', 'true'],
];

/**
 * Homie 5.0, "Device Attributes", "Node Attributes", "Property Attributes": the super-car's
 * `$description` with the engine node and temperature property of the spec's examples (the
 * spec elides wheels and lights as `{ ... }`). Its kitchen-light with "a brightness property
 * (0-100%)" from "Property command topic".
 */
export const superCarV5 = { homie: '5.0', name: 'Supercar', version: 7, nodes: { engine: { name: 'Car engine', properties: { temperature: { name: 'Engine temperature', unit: '°C', datatype: 'float', format: '-20:120' } } } } };
export const kitchenLightV5 = {
  homie: '5.0',
  name: 'Kitchen light',
  version: 1,
  nodes: {
    light: {
      name: 'Light',
      properties: {
        power: { name: 'Power', datatype: 'boolean', settable: true },
        brightness: { name: 'Brightness', datatype: 'integer', format: '0:100', unit: '%', settable: true },
        color: { name: 'Colour', datatype: 'color', format: 'hsv,rgb', settable: true },
      },
    },
  },
};

import type { Capability, Device, DeviceEntity } from '../../hub/protocol/device.js';

/**
 * Data helpers for devices that group several entities (a two-gang switch, a light with a
 * power meter). Shared by the card and the device's page; no DOM here.
 */

/** The entity a capability belongs to: from the device's grouping, else from the capability itself. */
export function entityOf(device: Device, capability: Capability): DeviceEntity | undefined {
  const listed = device.entities.find((e) => e.properties.includes(capability.property));
  if (listed) return listed;
  return capability.entity ? { ...capability.entity, properties: [capability.property] } : undefined;
}

/** The device's capabilities under their entities, in the device's order; one group when it has one entity. */
export function byEntity(device: Device, include: (c: Capability) => boolean = () => true): { entity: DeviceEntity | undefined; capabilities: Capability[] }[] {
  const groups = new Map<string, { entity: DeviceEntity | undefined; capabilities: Capability[] }>();
  for (const capability of device.capabilities.filter(include)) {
    const entity = entityOf(device, capability);
    const key = entity?.id ?? '';
    const group = groups.get(key) ?? { entity, capabilities: [] };
    group.capabilities.push(capability);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Whether the device has more than one entity worth naming to its user. */
export function hasSeveralEntities(device: Device): boolean {
  return new Set(device.capabilities.map((c) => entityOf(device, c)?.id)).size > 1;
}

/** On when any of its switches is on: a two-gang switch with only its right gang on is on. */
export function anySwitchOn(device: Device): boolean {
  return device.capabilities.some((c) => c.type === 'switch' && device.state[c.property] === true);
}

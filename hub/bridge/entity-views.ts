import type { Entity } from '../discovery/entity.js';
import type { Capability, DeviceCommand, DeviceState, EntityRef } from '../protocol/device.js';

/**
 * A device groups its entities, and each is controlled and reported on its own: two relays
 * of one ESPHome node, the left and right gang of a wall switch. When entities of one device
 * have a property of the same name, the first (by announcement key) keeps the plain name and
 * the others take `<property>.<entity id>` (`on.relay_2`), so the device's state, commands,
 * history and cards keep them apart; each of them carries `entity` to say whose it is. An
 * entity only ever gets the part of a command that names its own properties.
 * A device of one entity, or of entities without shared properties, is left as it was.
 */
export function entityViews(entities: readonly Entity[]): Entity[] {
  if (entities.length < 2) return [...entities];
  // Who keeps a plain property is decided by key, so it does not depend on arrival order;
  // the entities keep their order, which is the order the card shows them in.
  const owner = new Map<string, string>();
  const count = new Map<string, number>();
  for (const e of [...entities].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    for (const c of e.capabilities) {
      if (!owner.has(c.property)) owner.set(c.property, e.key);
      count.set(c.property, (count.get(c.property) ?? 0) + 1);
    }
  }
  const shared = new Set([...count].filter(([, n]) => n > 1).map(([p]) => p));
  if (shared.size === 0) return entities.map(ownPartOnly);
  return entities.map((entity) => view(entity, shared, owner));
}

/** The short id an entity goes by within its device: its object id (`relay_2`) or component id. */
export function entityIdOf(key: string): string {
  const own = key.includes('#') ? key.slice(key.lastIndexOf('#') + 1) : (key.replace(/\/config$/, '').split('/').pop() ?? key);
  return own.toLowerCase().replace(/[^a-z0-9_-]+/g, '_') || 'entity';
}

/** How an entity is named to clients: its own name, else its id within the device. */
export function entityRefOf(entity: Pick<Entity, 'key' | 'name'>): EntityRef {
  const id = entityIdOf(entity.key);
  return { id, name: entity.name ?? id };
}

function view(entity: Entity, shared: ReadonlySet<string>, owner: ReadonlyMap<string, string>): Entity {
  const ref = entityRefOf(entity);
  const { id } = ref;
  const toDevice = new Map<string, string>();
  const capabilities = entity.capabilities.map((c): Capability => {
    const property = owner.get(c.property) === entity.key ? c.property : `${c.property}.${id}`;
    if (property !== c.property) toDevice.set(c.property, property);
    return shared.has(c.property) ? ({ ...c, property, entity: ref } as Capability) : c;
  });
  // A second light's colour mode is its own too.
  if (toDevice.has('on')) toDevice.set('colorMode', `colorMode.${id}`);
  const fromDevice = new Map([...toDevice].map(([own, device]) => [device, own]));
  const owned = new Set(capabilities.map((c) => c.property));
  return {
    ...entity,
    capabilities,
    decode: (topic, payload) => {
      const slice = entity.decode(topic, payload);
      return slice instanceof Error || toDevice.size === 0 ? slice : renamed(slice, toDevice);
    },
    encode: (command, state = {}) => {
      const own = pick(command, owned, fromDevice);
      if (!own) return [];
      const ownState = Object.fromEntries(capabilities.map((c) => [fromDevice.get(c.property) ?? c.property, state[c.property] ?? null]));
      return entity.encode(own as DeviceCommand, { ...state, ...ownState });
    },
  };
}

const NO_RENAMES: ReadonlyMap<string, string> = new Map();

/** An entity of a device without shared properties: it still gets only its own part of a command. */
function ownPartOnly(entity: Entity): Entity {
  const owned = new Set(entity.capabilities.map((c) => c.property));
  return {
    ...entity,
    encode: (command, state) => {
      const own = pick(command, owned, NO_RENAMES);
      return own ? entity.encode(own, state) : [];
    },
  };
}

/** The part of a command an entity owns, in its own property names, or null when it owns none of it. */
function pick(command: DeviceCommand, owned: ReadonlySet<string>, fromDevice: ReadonlyMap<string, string>): DeviceCommand | null {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(command)) if (owned.has(key) && value !== undefined) out[fromDevice.get(key) ?? key] = value;
  return Object.keys(out).length > 0 ? (out as DeviceCommand) : null;
}

function renamed(slice: DeviceState, names: ReadonlyMap<string, string>): DeviceState {
  const out: Record<string, DeviceState[string]> = {};
  for (const [key, value] of Object.entries(slice)) out[names.get(key) ?? key] = value;
  return out;
}

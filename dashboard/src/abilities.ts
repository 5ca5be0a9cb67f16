/**
 * What the signed-in person may do, from their role, so the page offers only that. The hub
 * decides (hub/auth/roles.ts); this only keeps the page from offering what it would refuse.
 */
export interface Abilities {
  /** Switch and dim devices: owners, admins and household members. */
  control: boolean;
  /** Change settings: names, rooms, removing devices, people, credentials. */
  admin: boolean;
}

const BY_ROLE: Readonly<Record<string, Abilities>> = {
  owner: { control: true, admin: true },
  admin: { control: true, admin: true },
  member: { control: true, admin: false },
  viewer: { control: false, admin: false },
};

/** Nobody known (the hub unreachable at start): show the home as a viewer would see it. */
export const LOOK_ONLY: Abilities = BY_ROLE.viewer!;

export const abilitiesOf = (role: string | undefined): Abilities => (role && BY_ROLE[role]) || LOOK_ONLY;

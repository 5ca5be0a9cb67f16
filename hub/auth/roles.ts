/**
 * Who may do what. `owner` is the account made at onboarding; `admin` may change settings
 * and manage people; `member` (a household member) may see and control devices; `viewer`
 * may only look.
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a route needs: reading, controlling devices, changing settings, or being the owner
 * (backups: a copy of the whole database, password hashes included).
 */
export type Access = 'public' | 'read' | 'control' | 'admin' | 'owner';

const grants: Record<Role, readonly Access[]> = {
  owner: ['read', 'control', 'admin', 'owner'],
  admin: ['read', 'control', 'admin'],
  member: ['read', 'control'],
  viewer: ['read'],
};

export function allows(role: Role, access: Access): boolean {
  return access === 'public' || grants[role].includes(access);
}

/** Routes that do not say otherwise: reading is `read`, anything else changes settings. */
export function defaultAccess(method: string): Access {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}

/** True when `a` may do more than `b`: lowering someone from `a` to `b` takes something away. */
export function outranks(a: Role, b: Role): boolean {
  return ROLES.indexOf(a) < ROLES.indexOf(b);
}

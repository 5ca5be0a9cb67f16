/**
 * The hub's device credentials and topic rules as Mosquitto's dynamic security plugin takes
 * them: one role per credential, holding its topics, and the commands and file that carry
 * them. Pure: no Node, no broker. Reference: mosquitto 2.0's plugins/dynamic-security
 * (README and dynamic-security.json as `mosquitto_ctrl dynsec init` writes it).
 */
import type { MosquittoHash, StoredCredential } from '../mqtt/credentials.js';

/** Where commands go and answers come back. */
export const CONTROL_TOPIC = '$CONTROL/dynamic-security/v1';
export const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;

/** The hub's own user on a Mosquitto it runs. A dot never appears in a device's username (see usernameFor). */
export const HUB_USERNAME = 'hearth.hub';
const HUB_ROLE = 'hearth.hub';
const EVERYTHING_ROLE = 'hearth.everything';
const ANONYMOUS_GROUP = 'hearth.anonymous';
/** Marks the clients the hub made, so it never touches a broker's other users. */
export const MANAGED_DESCRIPTION = 'device credential managed by Hearth';

export const roleFor = (username: string): string => `hearth.device.${username}`;

export interface Acl {
  acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribePattern' | 'unsubscribePattern';
  topic: string;
  allow: boolean;
}

export type Command = Record<string, unknown> & { command: string };

const allow = (acltype: Acl['acltype'], topic: string): Acl => ({ acltype, topic, allow: true });

/**
 * What the embedded broker grants a credential (mqtt/access.ts): publish and subscribe
 * within its topics, and subscribe to the hub's birth message. Mosquitto matches a
 * subscription against a `subscribePattern` as a topic against a filter, so a device
 * allowed `hearth/lamp/#` may subscribe to `hearth/lamp/set` but not to `hearth/#` or `#`.
 */
export function deviceAcls(topics: readonly string[], discoveryPrefix: string): Acl[] {
  return [
    ...topics.flatMap((topic) => [allow('publishClientSend', topic), allow('subscribePattern', topic)]),
    allow('subscribePattern', `${discoveryPrefix}/status`),
  ];
}

/** The one `$SYS` topic the hub reads: how many clients are connected, for its health. */
export const CLIENTS_TOPIC = '$SYS/broker/clients/connected';

/** Every application topic, the dynamic security API, and the count of connected clients. */
const hubAcls = (): Acl[] => [
  allow('publishClientSend', '#'),
  allow('subscribePattern', '#'),
  allow('subscribePattern', CLIENTS_TOPIC),
  ...(['publishClientSend', 'publishClientReceive', 'subscribePattern'] as const).map((type) => allow(type, `${CONTROL_TOPIC}/#`)),
];

/** Makes (or makes again) a credential's role and client. */
export function createCommands(credential: { username: string; password: string; topics: readonly string[] }, discoveryPrefix: string): Command[] {
  const rolename = roleFor(credential.username);
  return [
    ...revokeCommands(credential.username),
    { command: 'createRole', rolename, acls: deviceAcls(credential.topics, discoveryPrefix) },
    { command: 'createClient', username: credential.username, password: credential.password, textdescription: MANAGED_DESCRIPTION, roles: [{ rolename }] },
  ];
}

/** Deleting a client disconnects every connection made with it, at once. */
export const revokeCommands = (username: string): Command[] => [
  { command: 'deleteClient', username },
  { command: 'deleteRole', rolename: roleFor(username) },
];

/** Answers that only say there was nothing to delete. */
export const isHarmless = (command: string, error: string): boolean => command.startsWith('delete') && /not found/i.test(error);

export interface DynsecFileOptions {
  hub: MosquittoHash;
  credentials: readonly StoredCredential[];
  discoveryPrefix: string;
  /** Clients without a user name may use every topic but `$` ones (the hub's lab mode). */
  anonymous: boolean;
}

/**
 * The plugin's whole configuration, written before each start of a Mosquitto the hub runs:
 * the hub's database is the one record of credentials, and a credential without a stored
 * Mosquitto hash (made by an older hub) is left out, so it cannot log in until made again.
 */
export function dynsecFile(options: DynsecFileOptions): object {
  const usable = options.credentials.filter((c) => c.mosquittoHash !== null);
  const client = (username: string, hash: MosquittoHash, rolename: string, textDescription: string) => ({ username, textDescription, ...hash, roles: [{ rolename }] });
  return {
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
    clients: [
      client(HUB_USERNAME, options.hub, HUB_ROLE, 'the hub'),
      ...usable.map((c) => client(c.username, c.mosquittoHash!, roleFor(c.username), MANAGED_DESCRIPTION)),
    ],
    roles: [
      { rolename: HUB_ROLE, acls: hubAcls() },
      { rolename: EVERYTHING_ROLE, acls: [allow('publishClientSend', '#'), allow('subscribePattern', '#')] },
      ...usable.map((c) => ({ rolename: roleFor(c.username), acls: deviceAcls(c.topics, options.discoveryPrefix) })),
    ],
    groups: options.anonymous ? [{ groupname: ANONYMOUS_GROUP, roles: [{ rolename: EVERYTHING_ROLE }] }] : [],
    ...(options.anonymous ? { anonymousGroup: ANONYMOUS_GROUP } : {}),
  };
}

/** Prefixes of a client id tried as user names, at most: a crafted id of 1,000 dashes costs 16 lookups. */
const MAX_LOOKUPS = 16;

/**
 * The user name that owns `clientId`, or null for none. A credential owns the client id
 * equal to its user name and every id made of its user name, a dash and anything
 * (`kitchen-plug`, `kitchen-plug-2`); when two user names fit (`lamp`, `lamp-2` for
 * `lamp-2-x`), the longer owns it, so each id has one owner. User names are [a-z0-9-]
 * (see credentials.ts), so ids of other shapes (`mqttjs_1a2b`) belong to nobody.
 */
export function ownerOfClientId(clientId: string, exists: (username: string) => boolean): string | null {
  let end = clientId.length;
  for (let lookups = 0; end > 0 && lookups < MAX_LOOKUPS; lookups++) {
    const candidate = clientId.slice(0, end);
    if (exists(candidate)) return candidate;
    end = clientId.lastIndexOf('-', end - 1);
  }
  return null;
}

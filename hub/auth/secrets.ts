import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a session, an API token or a device's MQTT password: 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Sessions and tokens are random 256-bit secrets, not passwords: a plain SHA-256 is enough
 * to make a stolen database useless for logging in (there is nothing to guess), and it is
 * cheap enough to check on every request. Lookups go by the digest, so no secret is compared.
 */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

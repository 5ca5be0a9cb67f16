import { randomInt, timingSafeEqual } from 'node:crypto';

/** No 0/O, 1/I/L: the code is read off a terminal and typed into a phone. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 10;

/**
 * The one-time code that proves the person onboarding can see the hub's terminal or log, as
 * Jupyter's token and many routers' sticker passwords do: before it, anyone who reached an
 * unclaimed hub could make themselves its owner. 10 characters of 31 (about 50 bits), and
 * wrong tries are throttled per address.
 */
export class SetupCode {
  readonly code: string;

  constructor(random: (max: number) => number = randomInt) {
    const chars = Array.from({ length: LENGTH }, () => ALPHABET[random(ALPHABET.length)]!);
    this.code = `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  }

  /** Compares without regard to case, spaces or dashes, in constant time. */
  matches(given: string): boolean {
    const a = Buffer.from(normalise(given));
    const b = Buffer.from(normalise(this.code));
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

const normalise = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

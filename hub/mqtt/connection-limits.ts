export interface ConnectionLimitOptions {
  maxPerAddress: number;
  connectsPerMinute: number;
  /** Apply the limits to loopback addresses too. */
  limitLoopback: boolean;
  now?: () => number;
}

interface AddressUse {
  open: number;
  windowStart: number;
  connects: number;
}

const WINDOW_MS = 60_000;
/** Past this many tracked addresses, idle ones are forgotten. */
const PRUNE_AT = 10_000;

const isLoopback = (address: string): boolean => address === '::1' || /^(::ffff:)?127\./.test(address);

/**
 * Open connections and new connections per minute, per remote address. Loopback is
 * exempt unless told otherwise: a load test with 10,000 devices, a reverse proxy or a
 * bridge on the same machine all arrive from 127.0.0.1.
 */
export class ConnectionLimits {
  private readonly uses = new Map<string, AddressUse>();
  private readonly now: () => number;

  constructor(private readonly options: ConnectionLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Null when a connection from `address` may open (and it is counted), else why not. */
  admit(address: string): string | null {
    if (!this.options.limitLoopback && isLoopback(address)) return null;
    const use = this.useOf(address);
    if (use.open >= this.options.maxPerAddress) return `more than ${this.options.maxPerAddress} connections from this address`;
    if (use.connects >= this.options.connectsPerMinute) return `more than ${this.options.connectsPerMinute} connections a minute from this address`;
    use.open++;
    use.connects++;
    return null;
  }

  /** A connection `admit` let in has closed. */
  release(address: string): void {
    const use = this.uses.get(address);
    if (use) use.open = Math.max(0, use.open - 1);
  }

  private useOf(address: string): AddressUse {
    const now = this.now();
    if (this.uses.size > PRUNE_AT) this.prune(now);
    let use = this.uses.get(address);
    if (!use) {
      use = { open: 0, windowStart: now, connects: 0 };
      this.uses.set(address, use);
    } else if (now - use.windowStart >= WINDOW_MS) {
      use.windowStart = now;
      use.connects = 0;
    }
    return use;
  }

  private prune(now: number): void {
    for (const [address, use] of this.uses) if (use.open === 0 && now - use.windowStart >= WINDOW_MS) this.uses.delete(address);
  }
}

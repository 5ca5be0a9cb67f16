/**
 * The latest message on topics no entity reads yet, kept briefly. MQTT orders messages per
 * topic, not across topics, so a device's first state can overtake its own discovery
 * message; when the discovery arrives, the state it announced is still here to be read.
 */
export class UnclaimedMessages {
  private readonly messages = new Map<string, { payload: Buffer; at: number }>();

  constructor(
    private readonly capacity = 1000,
    private readonly maxAgeMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  keep(topic: string, payload: Buffer): void {
    // Re-inserting moves the topic to the back, so the oldest is always first.
    this.messages.delete(topic);
    this.messages.set(topic, { payload, at: this.now() });
    if (this.messages.size > this.capacity) this.messages.delete(this.messages.keys().next().value!);
  }

  /** The kept message for `topic`, if recent; it is given out once. */
  claim(topic: string): Buffer | undefined {
    const kept = this.messages.get(topic);
    if (!kept) return undefined;
    this.messages.delete(topic);
    return this.now() - kept.at <= this.maxAgeMs ? kept.payload : undefined;
  }
}

import type { TSchema } from 'typebox';
import type { Capability } from '../protocol/device.js';

/**
 * What the hub knows about one kind of capability: which values a device may report
 * for it and which values a command may ask for. Descriptors themselves are plain data
 * (see protocol/device.ts); these schemas turn them into validation.
 */
export interface CapabilityModule<C extends Capability = Capability> {
  /** Schema of the state value a device reports for this capability. */
  state(capability: C): TSchema;
  /** Schema of the value a command may set, or undefined when the capability is read-only. */
  command?(capability: C): TSchema;
}

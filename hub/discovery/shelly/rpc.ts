import { isObject, type OutgoingMessage } from '../entity.js';

/**
 * Shelly Gen2+ JSON-RPC over MQTT (shelly-api-docs.shelly.cloud/gen2/General/RPCChannels#mqtt):
 * requests go to `<topic_prefix>/rpc` as `{id, src, method, params}` and the reply is published
 * on `<src>/rpc`; notifications (`NotifyStatus`, `NotifyFullStatus`, `NotifyEvent`) come on
 * `<topic_prefix>/events/rpc` as `{src, dst, method, params}`.
 */

/** The hub's `src`: devices answer its requests on `hearth-hub/rpc`. */
export const HUB_SRC = 'hearth-hub';
export const REPLY_TOPIC = `${HUB_SRC}/rpc`;

/** A frame as the device sends it: a notification, or the reply to one of the hub's requests. */
export interface Frame {
  src: string;
  id?: number | string;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code?: number; message?: string };
}

/** The frame in `json`, or why it is not one (the docs: `src` is always set). */
export function readFrame(json: unknown): Frame | Error {
  if (!isObject(json)) return new Error('shelly RPC frame is not a JSON object');
  if (typeof json.src !== 'string' || json.src === '') return new Error('shelly RPC frame has no src');
  for (const key of ['params', 'result'] as const) {
    if (json[key] !== undefined && !isObject(json[key])) return new Error(`shelly RPC frame ${key} is not an object`);
  }
  if (json.method !== undefined && typeof json.method !== 'string') return new Error('shelly RPC frame method is not a string');
  return json as unknown as Frame;
}

/** Numbers each request, so its reply can be matched (the docs: `id` is required). */
export class RequestIds {
  private next = 1;
  take(): number {
    const id = this.next;
    this.next = this.next >= Number.MAX_SAFE_INTEGER ? 1 : this.next + 1;
    return id;
  }
}

/** A request frame on the device's own RPC topic. QoS 1: Shelly's MQTT client supports no higher. */
export function request(prefix: string, id: number, method: string, params?: Record<string, unknown>): OutgoingMessage {
  return { topic: `${prefix}/rpc`, payload: JSON.stringify({ id, src: HUB_SRC, method, ...(params ? { params } : {}) }), qos: 1 };
}

/**
 * What the Homie convention says about a device, gathered from its attribute messages
 * (Homie 4: one retained topic per attribute; Homie 5: one `$description` document).
 */
export interface HomieProperty {
  name?: string;
  datatype?: string;
  format?: string;
  settable?: boolean;
  unit?: string;
}

export interface HomieNode {
  name?: string;
  type?: string;
  properties?: string[];
}

export interface HomieDevice {
  /** Topic root: `homie/<id>` (v4) or `homie/5/<id>` (v5). */
  base: string;
  name?: string;
  nodes?: string[];
  nodeAttributes: Map<string, HomieNode>;
  propertyAttributes: Map<string, HomieProperty>;
}

export const newDevice = (base: string): HomieDevice => ({ base, nodeAttributes: new Map(), propertyAttributes: new Map() });

/** Reads a Homie 5 `$description` into the same shape Homie 4's attributes build up. */
export function fromDescription(base: string, description: unknown): HomieDevice | Error {
  if (description === null || typeof description !== 'object') return new Error('homie $description is not a JSON object');
  const d = description as { name?: unknown; nodes?: Record<string, { name?: unknown; type?: unknown; properties?: Record<string, Record<string, unknown>> }> };
  const device = newDevice(base);
  if (typeof d.name === 'string') device.name = d.name;
  if (d.nodes !== undefined && (typeof d.nodes !== 'object' || d.nodes === null)) return new Error('homie $description nodes is not an object');
  device.nodes = Object.keys(d.nodes ?? {});
  for (const [nodeId, node] of Object.entries(d.nodes ?? {})) {
    const properties = node?.properties ?? {};
    device.nodeAttributes.set(nodeId, {
      ...(typeof node?.name === 'string' ? { name: node.name } : {}),
      ...(typeof node?.type === 'string' ? { type: node.type } : {}),
      properties: Object.keys(properties),
    });
    for (const [propertyId, p] of Object.entries(properties)) {
      device.propertyAttributes.set(`${nodeId}/${propertyId}`, {
        ...(typeof p.name === 'string' ? { name: p.name } : {}),
        ...(typeof p.datatype === 'string' ? { datatype: p.datatype } : {}),
        ...(typeof p.format === 'string' ? { format: p.format } : {}),
        ...(typeof p.unit === 'string' ? { unit: p.unit } : {}),
        settable: p.settable === true,
      });
    }
  }
  return device;
}

import { randomUUID } from 'node:crypto';
import type { GroupReport, Scene, SceneView, Target } from '../protocol/automations.js';
import type { Device, DeviceCommand } from '../protocol/device.js';
import type { Db } from '../store/database.js';

interface SceneRow {
  id: string;
  name: string;
  targets: string;
  position: number;
}

/** Named sets of target states, in the user's order. Every change hands the whole list to `changed`. */
export class Scenes {
  private readonly scenes = new Map<string, Scene>();
  private readonly statements;

  constructor(
    db: Db,
    private readonly known: (id: string) => boolean,
    private readonly changed: (scenes: SceneView[]) => void,
  ) {
    this.statements = {
      all: db.prepare<[], SceneRow>('SELECT id, name, targets, position FROM scenes'),
      put: db.prepare('INSERT INTO scenes (id, name, targets, position) VALUES (@id, @name, @targets, @position) ON CONFLICT (id) DO UPDATE SET name = @name, targets = @targets, position = @position'),
      remove: db.prepare('DELETE FROM scenes WHERE id = ?'),
    };
    for (const row of this.statements.all.all()) this.scenes.set(row.id, { ...row, targets: JSON.parse(row.targets) as Target[] });
  }

  list(): SceneView[] {
    return [...this.scenes.values()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)).map((s) => this.view(s));
  }

  get(id: string): SceneView | undefined {
    const scene = this.scenes.get(id);
    return scene && this.view(scene);
  }

  create(name: string, targets: Target[]): SceneView {
    return this.put({ id: randomUUID(), name, targets, position: this.scenes.size });
  }

  update(id: string, patch: Partial<Omit<Scene, 'id'>>): SceneView | undefined {
    const scene = this.scenes.get(id);
    return scene && this.put({ ...scene, ...patch });
  }

  remove(id: string): boolean {
    if (!this.scenes.delete(id)) return false;
    this.statements.remove.run(id);
    this.announce();
    return true;
  }

  /** A device's removal or return changes which scenes miss it. */
  announce(): void {
    this.changed(this.list());
  }

  private put(scene: Scene): SceneView {
    this.statements.put.run({ ...scene, targets: JSON.stringify(scene.targets) });
    this.scenes.set(scene.id, scene);
    this.announce();
    return this.view(scene);
  }

  private view(scene: Scene): SceneView {
    return { ...scene, missing: scene.targets.filter((t) => !this.known(t.device)).map((t) => t.device) };
  }
}

/** What a device shows now, as the command that would bring it back: "save what is on now". */
export function currentTarget(device: Device): Target | null {
  const writable = new Set(device.capabilities.filter((c) => c.writable).map((c) => c.property));
  const command: DeviceCommand = {};
  const state = device.state;
  if (writable.has('on') && typeof state.on === 'boolean') command.on = state.on;
  // An off light keeps its other settings for next time; only whether it is on matters now.
  if (state.on !== false) {
    if (writable.has('brightness') && typeof state.brightness === 'number') command.brightness = state.brightness;
    if (writable.has('colorTemp') && typeof state.colorTemp === 'number' && (state.colorMode ?? 'color_temp') === 'color_temp') command.colorTemp = state.colorTemp;
    if (writable.has('color') && typeof state.colorMode === 'string' && state.colorMode !== 'color_temp' && state.color && typeof state.color === 'object') command.color = state.color;
  }
  return Object.keys(command).length > 0 ? { device: device.id, command } : null;
}

/** A scene's outcome: applied only when every device confirmed; devices since removed are named. */
export type SceneReport = GroupReport & { scene: string; missing: string[] };

import fp from 'fastify-plugin';
import { sendEach } from '../commands/group.js';
import { Scenes, type SceneReport } from '../scenes/scenes.js';

declare module 'fastify' {
  interface FastifyInstance {
    scenes: Scenes;
    /** Applies a scene through the command path; null when there is no such scene. */
    applyScene(id: string): Promise<SceneReport | null>;
  }
}

/** Scenes, journalled like rooms so every open dashboard follows them. */
export const scenesPlugin = fp(
  async (app) => {
    const scenes = new Scenes(app.store.db, (id) => app.registry.get(id) !== undefined, (list) => app.journal.append({ type: 'scenes', scenes: list }));
    // A scene that names a removed device says so, on every dashboard.
    const unsubscribe = app.registry.subscribe((change) => {
      const id = (change.to ?? change.from).id;
      const appeared = change.type === 'described' && change.from === null;
      if ((change.type === 'removed' || appeared) && scenes.list().some((s) => s.targets.some((t) => t.device === id))) scenes.announce();
    });
    app.decorate('scenes', scenes);
    app.decorate('applyScene', async (id: string) => {
      const scene = scenes.get(id);
      if (!scene) return null;
      const report = await sendEach(app.commands, scene.targets.filter((t) => !scene.missing.includes(t.device)));
      return { ...report, done: report.done && scene.missing.length === 0, scene: id, missing: scene.missing };
    });
    app.addHook('onClose', async () => unsubscribe());
  },
  { name: 'scenes', dependencies: ['store', 'registry', 'journal', 'commands'] },
);

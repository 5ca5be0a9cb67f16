import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { targetProblems } from '../automations/checks.js';
import { TargetSchema } from '../automations/schema.js';
import { DeviceNotFound, InvalidScene, SceneNotFound } from '../errors.js';
import type { Target } from '../protocol/automations.js';
import { currentTarget } from '../scenes/scenes.js';
import { ErrorSchema } from './schemas.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
const Name = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const Targets = Type.Array(TargetSchema, { minItems: 1, maxItems: 200 });
const Open = Type.Object({}, { additionalProperties: true });

/** Scenes: owners and admins make them, members apply them. */
export const sceneRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const checked = (targets: Target[]) => {
    const problems = targetProblems(targets, (id) => app.registry.get(id));
    if (new Set(targets.map((t) => t.device)).size !== targets.length) problems.push('a device appears twice');
    if (problems.length) throw new InvalidScene(problems.join('; '));
    return targets;
  };

  app.get('/scenes', { schema: { response: { 200: Type.Array(Open) } } }, async () => app.scenes.list());

  app.post(
    '/scenes',
    {
      schema: {
        description: 'By hand (targets), or from what the chosen devices show now (capture)',
        body: Type.Union([
          Type.Object({ name: Name, targets: Targets }, { additionalProperties: false }),
          Type.Object({ name: Name, capture: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 200, uniqueItems: true }) }, { additionalProperties: false }),
        ]),
        response: { 201: Open, 400: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const targets = 'targets' in body ? checked(body.targets) : captured(body.capture);
      return reply.code(201).send(app.scenes.create(body.name.trim(), targets));
    },
  );

  function captured(ids: string[]): Target[] {
    const targets = ids.map((id) => {
      const device = app.registry.get(id);
      if (!device) throw new DeviceNotFound(id);
      return currentTarget(device);
    });
    const kept = targets.filter((t): t is Target => t !== null);
    if (kept.length === 0) throw new InvalidScene('none of these devices has a state that can be set');
    return kept;
  }

  app.put(
    '/scenes/:id',
    { schema: { params: Params, body: Type.Object({ name: Type.Optional(Name), targets: Type.Optional(Targets) }, { additionalProperties: false, minProperties: 1 }), response: { 200: Open, 400: ErrorSchema, 404: ErrorSchema } } },
    async (request) => {
      const { name, targets } = request.body;
      const scene = app.scenes.update(request.params.id, { ...(name ? { name: name.trim() } : {}), ...(targets ? { targets: checked(targets) } : {}) });
      if (!scene) throw new SceneNotFound(request.params.id);
      return scene;
    },
  );

  app.delete('/scenes/:id', { schema: { params: Params, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    if (!app.scenes.remove(request.params.id)) throw new SceneNotFound(request.params.id);
    return reply.code(204).send(null);
  });

  // Answers once every device confirmed or failed (at most the command timeout).
  app.post('/scenes/:id/apply', { config: { access: 'control' }, schema: { params: Params, response: { 200: Open, 404: ErrorSchema } } }, async (request) => {
    const report = await app.applyScene(request.params.id);
    if (!report) throw new SceneNotFound(request.params.id);
    return report;
  });
};

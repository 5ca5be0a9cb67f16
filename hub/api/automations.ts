import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { automationProblems } from '../automations/checks.js';
import { AutomationDefinitionSchema } from '../automations/schema.js';
import { AutomationNotFound, InvalidAutomation } from '../errors.js';
import type { AutomationDefinition } from '../protocol/automations.js';
import { ErrorSchema } from './schemas.js';

const Params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });
/** Automations, traces and edits are shaped by hub/automations/schema.ts; answers are not narrowed again. */
const Open = Type.Object({}, { additionalProperties: true });
const List = Type.Array(Open);
/** What export gives: a definition with its id and whether it is enabled. */
const ImportedSchema = Type.Object(
  { ...AutomationDefinitionSchema.properties, id: Type.Optional(Params.properties.id), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

/** Automations: made and changed by owners and admins, run by hand by members, seen by all. */
export const automationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const editor = (request: FastifyRequest) => request.principal?.user.username ?? null;
  const checked = (definition: AutomationDefinition) => {
    const problems = automationProblems(definition, (id) => app.registry.get(id));
    if (problems.length) throw new InvalidAutomation(problems.join('; '));
    return definition;
  };
  const found = (id: string) => {
    const automation = app.automations.get(id);
    if (!automation) throw new AutomationNotFound(id);
    return automation;
  };

  app.get('/automations', { schema: { response: { 200: List } } }, async () => app.automations.list());

  app.post('/automations', { schema: { body: AutomationDefinitionSchema, response: { 201: Open, 400: ErrorSchema } } }, async (request, reply) =>
    reply.code(201).send(app.automations.create(checked(request.body), editor(request))),
  );

  app.get('/automations/export', { schema: { response: { 200: Type.Object({ automations: List }) } } }, async () => ({
    automations: app.automations.list().map(({ id, updatedAt, flagged, ...rest }) => ({ id, ...rest })),
  }));

  // An import adds each automation, or replaces the one with the same id; all or nothing.
  app.post(
    '/automations/import',
    {
      schema: {
        body: Type.Object({ automations: Type.Array(ImportedSchema, { maxItems: 500 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ imported: Type.Integer() }), 400: ErrorSchema },
      },
    },
    async (request) => {
      const items = request.body.automations.map(({ id, enabled, ...definition }) => ({ id, enabled, definition: checked(definition as AutomationDefinition) }));
      for (const { id, enabled, definition } of items) {
        const saved = id && app.automations.get(id) ? app.automations.update(id, definition, editor(request))! : app.automations.create(definition, editor(request), id);
        if (enabled === false) app.automations.setEnabled(saved.id, false);
      }
      return { imported: items.length };
    },
  );

  app.get('/automations/:id', { schema: { params: Params, response: { 200: Open, 404: ErrorSchema } } }, async (request) => found(request.params.id));

  app.put('/automations/:id', { schema: { params: Params, body: AutomationDefinitionSchema, response: { 200: Open, 400: ErrorSchema, 404: ErrorSchema } } }, async (request) => {
    found(request.params.id);
    return app.automations.update(request.params.id, checked(request.body), editor(request))!;
  });

  app.delete('/automations/:id', { schema: { params: Params, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    if (!app.automations.remove(request.params.id, editor(request))) throw new AutomationNotFound(request.params.id);
    return reply.code(204).send(null);
  });

  app.put(
    '/automations/:id/enabled',
    { schema: { params: Params, body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }), response: { 200: Open, 404: ErrorSchema } } },
    async (request) => {
      found(request.params.id);
      return app.automations.setEnabled(request.params.id, request.body.enabled)!;
    },
  );

  app.post('/automations/:id/run', { config: { access: 'control' }, schema: { params: Params, response: { 202: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    if (!app.automations.runNow(request.params.id)) throw new AutomationNotFound(request.params.id);
    return reply.code(202).send(null);
  });

  app.get('/automations/:id/traces', { schema: { params: Params, response: { 200: List, 404: ErrorSchema } } }, async (request) => {
    found(request.params.id);
    return app.automations.traces(request.params.id);
  });

  app.get('/automations/:id/edits', { schema: { params: Params, response: { 200: List, 404: ErrorSchema } } }, async (request) => {
    found(request.params.id);
    return app.automations.edits(request.params.id);
  });
};

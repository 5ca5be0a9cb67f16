import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Accounts } from '../auth/accounts.js';
import { SessionNotFound, WrongPassword } from '../errors.js';
import { IdParams, Password } from './auth.js';
import { ErrorSchema } from './schemas.js';

const SessionSchema = Type.Object({
  id: Type.String(),
  createdAt: Type.Number(),
  expiresAt: Type.Number(),
  address: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  current: Type.Boolean({ description: 'the session this request was made with' }),
});

/**
 * A person's own account, whatever their role: a new password, their sessions, signing out
 * everywhere. With these a leaked password or cookie can be made useless from the dashboard.
 */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, audit } = app.auth;

  app.post(
    '/password',
    {
      config: { access: 'read' },
      schema: {
        body: Type.Object({ current: Type.String({ minLength: 1, maxLength: 256 }), password: Password }, { additionalProperties: false }),
        response: { 204: Type.Null(), 403: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { user, via } = request.principal!;
      const keep = via.kind === 'session' ? via.sessionId : null;
      if (!(await accounts.changePassword(user.id, request.body.current, request.body.password, keep))) {
        audit.warn({ user: user.username, ip: request.ip }, 'password change refused: wrong current password');
        throw new WrongPassword();
      }
      audit.info({ user: user.username, ip: request.ip }, 'password changed; other sessions ended');
      return reply.code(204).send(null);
    },
  );

  app.get('/sessions', { schema: { response: { 200: Type.Array(SessionSchema) } } }, async (request) => {
    const current = Accounts.publicSessionId(request.principal!);
    return accounts.sessions(request.principal!.user.id).map((s) => ({ ...s, current: s.id === current }));
  });

  app.delete('/sessions/:id', { config: { access: 'read' }, schema: { params: IdParams, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    const { user } = request.principal!;
    if (!accounts.endSessionById(user.id, request.params.id)) throw new SessionNotFound(request.params.id);
    audit.info({ user: user.username, ip: request.ip, session: request.params.id }, 'session ended');
    return reply.code(204).send(null);
  });

  // Every session but this request's own: the person stays signed in where they asked from.
  app.delete('/sessions', { config: { access: 'read' }, schema: { response: { 204: Type.Null() } } }, async (request, reply) => {
    const { user, via } = request.principal!;
    accounts.endSessionsOf(user.id, via.kind === 'session' ? via.sessionId : null);
    audit.info({ user: user.username, ip: request.ip }, 'signed out everywhere else');
    return reply.code(204).send(null);
  });
};

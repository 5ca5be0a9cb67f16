import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../auth/roles.js';
import { AlreadyOnboarded, BadCredentials, BadSetupCode, OwnerOnly, OwnerProtected, TokenNotFound, TooManyAttempts, UserExists, UserNotFound, WrongPassword } from '../errors.js';
import { ErrorSchema } from './schemas.js';

export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\p{L}\\p{N}._@-]+$', description: 'letters, digits and . _ @ -' });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
const Login = Type.Object({ username: Username, password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
const Onboarding = Type.Object(
  { username: Username, password: Password, setupCode: Type.String({ minLength: 1, maxLength: 40, description: 'the code the hub printed at start' }) },
  { additionalProperties: false },
);
const RoleSchema = Type.Enum(ROLES);
const LesserRole = Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('viewer')]);
export const UserSchema = Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema, createdAt: Type.Number() });
const TokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  createdAt: Type.Number(),
  lastUsedAt: Type.Union([Type.Number(), Type.Null()]),
});
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const Status = Type.Object({ onboarded: Type.Boolean(), user: Type.Union([UserSchema, Type.Null()]) });

/** Onboarding, logging in and out, and API tokens: /api/auth. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, throttle, audit } = app.auth;

  app.get('/status', { config: { access: 'public' }, schema: { response: { 200: Status } } }, async (request) => {
    // Public, so the dashboard knows whether to show onboarding, a login form or the home.
    return { onboarded: accounts.hasUsers(), user: app.auth.identify(request)?.user ?? null };
  });

  app.post(
    '/onboarding',
    { config: { access: 'public' }, schema: { body: Onboarding, response: { 201: UserSchema, 403: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema } } },
    async (request, reply) => {
      const code = app.auth.setupCode();
      if (!code) throw new AlreadyOnboarded();
      // Taken before the comparison, as logins are: a guesser gets three tries, then waits.
      const key = `setup:${request.ip}`;
      const waitMs = throttle.take(key);
      if (waitMs > 0) {
        reply.header('retry-after', Math.ceil(waitMs / 1000));
        throw new TooManyAttempts(Math.ceil(waitMs / 1000));
      }
      if (!code.matches(request.body.setupCode)) {
        audit.warn({ user: request.body.username, ip: request.ip }, 'onboarding refused: wrong setup code');
        throw new BadSetupCode();
      }
      throttle.succeed([key]);
      const user = await accounts.createOwner(request.body.username, request.body.password);
      if (!user) throw new AlreadyOnboarded();
      audit.info({ user: user.username, ip: request.ip }, 'owner account created at onboarding');
      app.auth.startSession(request, reply, user.id);
      return reply.code(201).send(user);
    },
  );

  app.post(
    '/login',
    { config: { access: 'public' }, schema: { body: Login, response: { 200: UserSchema, 401: ErrorSchema, 429: ErrorSchema } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const address = `ip:${request.ip}`;
      const name = `user:${username.toLowerCase()}`;
      const refuse = (waitMs: number, why: string) => {
        audit.warn({ user: username, ip: request.ip, waitMs }, `login refused: ${why}`);
        reply.header('retry-after', Math.ceil(waitMs / 1000));
        return new TooManyAttempts(Math.ceil(waitMs / 1000));
      };
      // Taken before the slow check, so parallel tries from one address cannot all pass.
      const addressWait = throttle.take(address);
      if (addressWait > 0) throw refuse(addressWait, 'too many failed attempts from this address');
      const nameWait = throttle.waitMs([name]);
      const user = await accounts.checkPassword(username, password);
      if (!user) {
        throttle.fail([name]);
        audit.warn({ user: username, ip: request.ip }, 'login failed');
        // A name under attack answers wrong passwords with its wait; the right one still gets in.
        if (nameWait > 0) throw refuse(nameWait, 'too many failed attempts for this user name');
        throw new BadCredentials();
      }
      const keys = [address, name];
      throttle.succeed(keys);
      audit.info({ user: user.username, ip: request.ip }, 'logged in');
      app.auth.startSession(request, reply, user.id);
      return user;
    },
  );

  app.post('/logout', { config: { access: 'read' }, schema: { response: { 204: Type.Null() } } }, async (request, reply) => {
    app.auth.endSession(request, reply);
    audit.info({ user: request.principal!.user.username, ip: request.ip }, 'logged out');
    return reply.code(204).send(null);
  });

  app.get('/tokens', { config: { access: 'admin' }, schema: { response: { 200: Type.Array(TokenSchema) } } }, async () => accounts.tokens());

  app.post(
    '/tokens',
    {
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ token: TokenSchema, secret: Type.String({ description: 'shown once: send as "Authorization: Bearer <secret>"' }) }) },
      },
    },
    async (request, reply) => {
      const created = accounts.createToken(request.principal!.user.id, request.body.name.trim());
      audit.info({ user: request.principal!.user.username, ip: request.ip, token: created.token.id, name: created.token.name }, 'API token created');
      return reply.code(201).send(created);
    },
  );

  app.delete('/tokens/:id', { schema: { params: IdParams, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    if (!accounts.revokeToken(request.params.id)) throw new TokenNotFound(request.params.id);
    audit.info({ user: request.principal!.user.username, ip: request.ip, token: request.params.id }, 'API token revoked');
    return reply.code(204).send(null);
  });
};

/** People who may use the hub: /api/users, for admins. */
export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { accounts, audit } = app.auth;

  app.get('/users', { config: { access: 'admin' }, schema: { response: { 200: Type.Array(UserSchema) } } }, async () => accounts.users());

  app.post(
    '/users',
    {
      schema: {
        body: Type.Object({ username: Username, password: Password, role: LesserRole }, { additionalProperties: false }),
        response: { 201: UserSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      const { username, password, role } = request.body;
      const user = await accounts.createUser(username, password, role);
      if (!user) throw new UserExists(username);
      audit.info({ by: request.principal!.user.username, ip: request.ip, user: username, role }, 'user created');
      return reply.code(201).send(user);
    },
  );

  app.patch(
    '/users/:id',
    { schema: { params: IdParams, body: Type.Object({ role: LesserRole }, { additionalProperties: false }), response: { 200: UserSchema, 404: ErrorSchema, 409: ErrorSchema } } },
    async (request) => {
      const user = accounts.user(request.params.id);
      if (!user) throw new UserNotFound(request.params.id);
      if (user.role === 'owner') throw new OwnerProtected();
      const changed = accounts.setRole(user.id, request.body.role)!;
      audit.info({ by: request.principal!.user.username, ip: request.ip, user: user.username, from: user.role, role: changed.role }, 'role changed');
      return changed;
    },
  );

  app.post(
    '/users/:id/owner',
    {
      schema: {
        params: IdParams,
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256, description: "the owner's own password, to confirm" }) }, { additionalProperties: false }),
        response: { 200: UserSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request) => {
      const me = request.principal!.user;
      if (me.role !== 'owner') throw new OwnerOnly();
      const to = accounts.user(request.params.id);
      if (!to || to.id === me.id) throw new UserNotFound(request.params.id);
      if (!(await accounts.checkPassword(me.username, request.body.password))) throw new WrongPassword();
      accounts.handOver(me.id, to.id);
      audit.info({ by: me.username, ip: request.ip, user: to.username }, 'owner role handed over; the previous owner is now an admin');
      return { ...to, role: 'owner' as const };
    },
  );

  app.delete('/users/:id', { schema: { params: IdParams, response: { 204: Type.Null(), 404: ErrorSchema, 409: ErrorSchema } } }, async (request, reply) => {
    const user = accounts.user(request.params.id);
    if (!user) throw new UserNotFound(request.params.id);
    if (user.role === 'owner') throw new OwnerProtected();
    accounts.deleteUser(user.id);
    audit.info({ by: request.principal!.user.username, ip: request.ip, user: user.username }, 'user removed with their sessions and tokens');
    return reply.code(204).send(null);
  });
};

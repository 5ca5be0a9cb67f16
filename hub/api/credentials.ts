import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CredentialExists, CredentialNotFound, CredentialsOnExternalBroker, InvalidCredential } from '../errors.js';
import { CredentialError } from '../mqtt/credentials.js';
import { ErrorSchema } from './schemas.js';

const Topics = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 50, description: 'MQTT topic filters; default: the device\'s own topics' });

const CredentialInfo = Type.Object({ username: Type.String(), name: Type.String(), topics: Type.Array(Type.String()), createdAt: Type.Number() });
const IssuedCredential = Type.Object({ username: Type.String(), password: Type.String(), topics: Type.Array(Type.String()) });
const CredentialParams = Type.Object({ username: Type.String({ minLength: 1, maxLength: 200 }) });

/** MQTT device credentials: a password is shown once, when it is made. */
export const credentialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = app.log.child({ plugin: 'credentials', audit: true });
  app.get('/mqtt/credentials', { config: { access: 'admin' }, schema: { response: { 200: Type.Array(CredentialInfo) } } }, async () => app.deviceCredentials.list());

  app.post(
    '/mqtt/credentials',
    {
      schema: {
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }), topics: Type.Optional(Topics) }, { additionalProperties: false }),
        response: { 201: IssuedCredential, 400: ErrorSchema, 409: ErrorSchema },
      },
    },
    async (request, reply) => {
      // A broker the hub does not administer has users of its own.
      const external = app.mqtt.externalBroker();
      if (external && !app.mqtt.managesCredentials()) throw new CredentialsOnExternalBroker(external.url);
      try {
        const issued = app.deviceCredentials.create(request.body.name.trim(), request.body.topics);
        // Answered once the broker lets the device in (Mosquitto's dynamic security takes a round trip).
        await app.mqtt.credentialsApplied();
        audit.info({ by: request.principal!.user.username, ip: request.ip, username: issued.username, topics: issued.topics }, 'MQTT credential created');
        return reply.code(201).send(issued);
      } catch (error) {
        if (!(error instanceof CredentialError)) throw error;
        throw error.reason === 'exists' ? new CredentialExists(error.message) : new InvalidCredential(error.message);
      }
    },
  );

  app.delete('/mqtt/credentials/:username', { schema: { params: CredentialParams, response: { 204: Type.Null(), 404: ErrorSchema } } }, async (request, reply) => {
    if (!app.deviceCredentials.revoke(request.params.username)) throw new CredentialNotFound(request.params.username);
    await app.mqtt.credentialsApplied();
    audit.info({ by: request.principal!.user.username, ip: request.ip, username: request.params.username }, 'MQTT credential revoked');
    return reply.code(204).send(null);
  });
};

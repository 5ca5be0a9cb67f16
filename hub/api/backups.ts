import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createReadStream } from 'node:fs';
import { Type } from 'typebox';
import { BackupNotFound } from '../errors.js';
import { ErrorSchema } from './schemas.js';

const BackupInfo = Type.Object({ name: Type.String(), bytes: Type.Integer(), takenAt: Type.Number() });
const BackupParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * Backups, for the owner only: a backup is the whole database, with every password hash and
 * token digest in it. Restoring one is done on the hub's machine (`npm run restore`).
 */
export const backupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const audit = app.log.child({ plugin: 'backups', audit: true });
  const owner = { access: 'owner' as const };
  app.get('/backups', { config: owner, schema: { response: { 200: Type.Array(BackupInfo) } } }, async () => app.backups.list());

  app.post('/backups', { config: owner, schema: { response: { 201: BackupInfo } } }, async (request, reply) => {
    const backup = await app.backups.take();
    audit.info({ by: request.principal!.user.username, ip: request.ip, backup: backup.name }, 'backup taken');
    return reply.code(201).send(backup);
  });

  app.get('/backups/:name', { config: owner, schema: { params: BackupParams, response: { 200: Type.Unknown({ description: 'the backup, a SQLite database file' }), 404: ErrorSchema } } }, async (request, reply) => {
    const path = app.backups.pathOf(request.params.name);
    if (!path) throw new BackupNotFound(request.params.name);
    audit.info({ by: request.principal!.user.username, ip: request.ip, backup: request.params.name }, 'backup downloaded');
    return reply
      .type('application/vnd.sqlite3')
      .header('content-disposition', `attachment; filename="${request.params.name}"`)
      .header('cache-control', 'no-store')
      .send(createReadStream(path));
  });
};

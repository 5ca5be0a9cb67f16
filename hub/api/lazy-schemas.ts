import type * as AjvCompilerModule from '@fastify/ajv-compiler';
import type * as SerializerModule from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;
type Check = ((data: unknown) => unknown) & { errors?: unknown };

/**
 * Fastify's own compilers (ajv for requests, fast-json-stringify for replies), each route's
 * schema compiled the first time that route is used instead of at start-up. Compiling the
 * schemas of all 67 routes was a quarter of the hub's start-up CPU and kept every compiled
 * function in memory, while a home uses a handful of routes a day; on a Pi's slow core that
 * is seconds. The compilers' own modules (ajv and its plugins) load with the first request; the
 * built hub loads them from one bundled file (hub/build/bundle.mjs).
 */
export function lazySchemaCompilers(): Factories {
  const require = createRequire(import.meta.url);
  // One pool each, as Fastify keeps: contexts with the same options share one ajv.
  const validatorPool = lazily(() => (require('@fastify/ajv-compiler') as typeof AjvCompilerModule).AjvCompiler() as unknown as (e: unknown, o: unknown) => (route: unknown) => Check);
  const serializerPool = lazily(() => (require('@fastify/fast-json-stringify-compiler') as typeof SerializerModule).SerializerSelector());
  const validator = (externalSchemas: unknown, options: unknown) => {
    const compiler = lazily(() => validatorPool()(externalSchemas, options));
    return (route: unknown) => {
      const validate = lazily(() => compiler()(route));
      // Fastify reads a failed check's errors from the function it was given.
      const check: Check = (data) => {
        const valid = validate()(data);
        check.errors = validate().errors;
        return valid;
      };
      return check;
    };
  };
  const serializer: SerializerFactory = (externalSchemas, options) => {
    const compiler = lazily(() => serializerPool()(externalSchemas, options));
    return (route) => {
      const serialize = lazily(() => compiler()(route));
      return (doc: unknown) => serialize()(doc);
    };
  };
  // Typed as ajv's own validate functions, of which Fastify only calls them and reads `errors`.
  return { buildValidator: validator as unknown as ValidatorFactory, buildSerializer: serializer };
}

/** `make`'s result, made on the first call and kept. */
function lazily<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

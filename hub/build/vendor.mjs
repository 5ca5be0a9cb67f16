/**
 * Runs after `tsc`. Some dependencies load as hundreds of small files, and on a Pi's slow
 * core each file costs its lookup, read and module record. This bundles them into one file
 * each in `dist/vendor/` and points the built files' imports at the bundles:
 * - TypeBox, about 700 small ES modules: loading them one by one was about a third of the
 *   built hub's start (300 ms on a 2-core machine); `typebox.js` loads in 25 ms. One bundle
 *   for `typebox` and `typebox/compile`, so they share one copy of TypeBox.
 * - Fastify's schema compilers (ajv and fast-json-stringify, about 120 CommonJS files),
 *   loaded with the first request (api/lazy-schemas.ts): `schema-compilers.cjs` loads in 30
 *   to 38 ms instead of 72 to 75 ms (three runs each, 2-core machine).
 * Source, tests and the type checker keep importing the packages themselves.
 */
import { build } from 'vite';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const vendor = join(dist, 'vendor');

/** Bundles the entry `source` (its file named `entryName`) into `dist/vendor/<fileName>`. */
async function bundle(entryName, source, fileName, format) {
  const entry = join(vendor, entryName);
  writeFileSync(entry, source);
  try {
    await build({
      configFile: false,
      logLevel: 'warn',
      ssr: { noExternal: true },
      build: {
        ssr: entry,
        outDir: vendor,
        emptyOutDir: false,
        target: 'node20',
        minify: false,
        rollupOptions: { output: { format, entryFileNames: fileName } },
      },
    });
  } finally {
    rmSync(entry, { force: true });
  }
  return join(vendor, fileName);
}

mkdirSync(vendor, { recursive: true });
const bundles = [
  {
    file: await bundle('typebox-entry.mjs', "export * from 'typebox';\nexport { Compile } from 'typebox/compile';\n", 'typebox.js', 'es'),
    imports: /(from\s+|import\s*\(\s*)(['"])typebox(?:\/compile)?\2/g,
  },
  {
    file: await bundle(
      'schema-compilers-entry.cjs',
      "exports.AjvCompiler = require('@fastify/ajv-compiler').AjvCompiler;\nexports.SerializerSelector = require('@fastify/fast-json-stringify-compiler').SerializerSelector;\n",
      'schema-compilers.cjs',
      'cjs',
    ),
    imports: /(require\(\s*)(['"])@fastify\/(?:ajv-compiler|fast-json-stringify-compiler)\2/g,
  },
];

let rewritten = 0;
for (const folder of ['hub', 'devices', 'bench']) {
  for (const file of readdirSync(join(dist, folder), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue;
    const path = join(dist, folder, file);
    const text = readFileSync(path, 'utf8');
    let next = text;
    for (const { file: target, imports } of bundles) {
      let relativeTarget = relative(dirname(path), target);
      if (!relativeTarget.startsWith('.')) relativeTarget = `./${relativeTarget}`;
      next = next.replace(imports, (_, lead, quote) => `${lead}${quote}${relativeTarget}${quote}`);
    }
    if (next !== text) {
      writeFileSync(path, next);
      rewritten++;
    }
  }
}
console.log(`typebox and the schema compilers bundled into dist/vendor; ${rewritten} built files import them`);

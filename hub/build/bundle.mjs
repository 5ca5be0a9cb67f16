/**
 * Runs after `tsc`. On a Pi's slow core every module file the hub loads costs its lookup, read
 * and module record: the built hub opened 610 of them (with their package.json files) before
 * it first answered, and now opens 58. So:
 * - `dist/hub/main.js`, the hub's entry, becomes one file holding the hub and every dependency
 *   it loads at start. The built hub's CPU from exec to its first answer went from 560 to about
 *   330 ms (medians of 6 to 8 starts, 2-core machine), and a cold start of a 500-device home
 *   under the Pi profile from 2.5-2.8 to 1.8-2.4 s (docs/raspberry-pi.md). The other built files
 *   (the command-line tools, the simulated devices, the bench) stay one file per module.
 * - Fastify's schema compilers (ajv and fast-json-stringify, about 120 CommonJS files) are
 *   loaded only with the first request (api/lazy-schemas.ts), so they are a file of their own,
 *   `dist/vendor/schema-compilers.cjs`: it loads in 30 to 38 ms instead of 72 to 75 ms.
 * - TypeBox, about 700 small ES modules, is `dist/vendor/typebox.js` for the built files that
 *   are not in the hub's bundle: it loads in 25 ms instead of 300. One bundle for `typebox`
 *   and `typebox/compile`, so they share one copy of TypeBox.
 * Source, tests and the type checker keep importing the packages themselves.
 */
import { build } from 'vite';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const vendor = join(dist, 'vendor');

/**
 * Bundles the module `entry` and what it imports into `<outDir>/<fileName>`, in one file,
 * without whitespace and comments, and writes a source map beside it.
 */
async function bundleFile(entry, outDir, fileName, format, external = []) {
  // Never renamed or rewritten: the stack traces in a user's log keep their functions' names.
  // V8 keeps a module's source text in memory for as long as it runs, in two bytes a character
  // as soon as one character is beyond Latin-1 (a '│' or '…' in a message was enough): written
  // as \u escapes, they leave the bundles one byte a character (the hub's is 2 MB).
  const whitespaceOnly = { compress: false, mangle: false, codegen: { removeWhitespace: true, asciiOnly: true } };
  await build({
    configFile: false,
    logLevel: 'warn',
    ssr: { noExternal: true },
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: true,
      rollupOptions: { external, output: { format, entryFileNames: fileName, codeSplitting: false, minify: whitespaceOnly } },
    },
  });
}

/** Bundles the entry `source` (its file named `entryName`) into `dist/vendor/<fileName>`. */
async function bundle(entryName, source, fileName, format) {
  const entry = join(vendor, entryName);
  writeFileSync(entry, source);
  try {
    await bundleFile(entry, vendor, fileName, format);
  } finally {
    rmSync(entry, { force: true });
  }
  return join(vendor, fileName);
}

mkdirSync(vendor, { recursive: true });
const bundles = [
  {
    file: await bundle('typebox-entry.mjs', "export * from 'typebox';\nexport { Compile } from 'typebox/compile';\n", 'typebox.js', 'es'),
    imports: /(from\s+|import\s*\(\s*)(['"`])typebox(?:\/compile)?\2/g,
    replace: (lead, quote, target) => `${lead}${quote}${target}${quote}`,
  },
  {
    file: await bundle(
      'schema-compilers-entry.cjs',
      "exports['ajv-compiler'] = require('@fastify/ajv-compiler');\nexports['fast-json-stringify-compiler'] = require('@fastify/fast-json-stringify-compiler');\n",
      'schema-compilers.cjs',
      'cjs',
    ),
    imports: /(require\(\s*)(['"`])@fastify\/(ajv-compiler|fast-json-stringify-compiler)\2\s*\)/g,
    // Each package's own exports, whatever their shape: Fastify's code in the hub's bundle requires them too.
    replace: (lead, quote, target, name) => `${lead}${quote}${target}${quote})['${name}']`,
  },
];

await bundleHub();

// After the hub's bundle, which is rewritten too: its requires of the schema compilers, its own
// and Fastify's, then point at their bundle from where the hub's bundle lies.
let rewritten = 0;
for (const folder of ['hub', 'devices', 'bench']) {
  for (const file of readdirSync(join(dist, folder), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue;
    const path = join(dist, folder, file);
    const text = readFileSync(path, 'utf8');
    let next = text;
    for (const { file: target, imports, replace } of bundles) {
      let relativeTarget = relative(dirname(path), target);
      if (!relativeTarget.startsWith('.')) relativeTarget = `./${relativeTarget}`;
      next = next.replace(imports, (_, lead, quote, ...rest) => replace(lead, quote, relativeTarget, ...rest));
    }
    if (next !== text) {
      writeFileSync(path, next);
      rewritten++;
    }
  }
}
console.log(`the hub bundled into dist/hub/main.js; typebox and the schema compilers into dist/vendor, which ${rewritten} built files import`);

/**
 * Replaces `dist/hub/main.js` with the hub and its dependencies in one ES module. Left out, and
 * loaded from node_modules: better-sqlite3 (a native addon), pino (its transports start worker
 * threads from its own files and find `pino-pretty` by name), ws's optional native helpers, and
 * the schema compilers, which have their bundle above.
 */
async function bundleHub() {
  const out = join(dist, 'hub-bundle');
  rmSync(out, { recursive: true, force: true });
  const external = ['better-sqlite3', 'pino', 'pino-pretty', 'bufferutil', 'utf-8-validate', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'];
  await bundleFile(join(dist, 'hub/main.js'), out, 'main.js', 'es', external);
  for (const file of ['main.js', 'main.js.map']) renameSync(join(out, file), join(dist, 'hub', file));
  rmSync(out, { recursive: true, force: true });
}

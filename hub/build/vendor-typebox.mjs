/**
 * Runs after `tsc`. TypeBox is about 700 small ES modules, and loading them one by one was
 * about a third of the built hub's start (300 ms on a 2-core machine). This bundles the parts
 * the hub uses into one file, `dist/vendor/typebox.js` (25 ms to load), and points the built
 * files' `typebox` and `typebox/compile` imports at it. One bundle for both, so they share one
 * copy of TypeBox. Source, tests and the type checker keep importing the package itself.
 */
import { build } from 'vite';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const vendor = join(dist, 'vendor');
const entry = join(vendor, 'typebox-entry.mjs');
const bundle = join(vendor, 'typebox.js');

mkdirSync(vendor, { recursive: true });
writeFileSync(entry, "export * from 'typebox';\nexport { Compile } from 'typebox/compile';\n");
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
      rollupOptions: { output: { format: 'es', entryFileNames: 'typebox.js' } },
    },
  });
} finally {
  rmSync(entry, { force: true });
}

const IMPORT = /(from\s+|import\s*\(\s*)(['"])typebox(?:\/compile)?\2/g;
let rewritten = 0;
for (const folder of ['hub', 'devices', 'bench']) {
  for (const file of readdirSync(join(dist, folder), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue;
    const path = join(dist, folder, file);
    const text = readFileSync(path, 'utf8');
    let target = relative(dirname(path), bundle);
    if (!target.startsWith('.')) target = `./${target}`;
    const next = text.replace(IMPORT, (_, lead, quote) => `${lead}${quote}${target}${quote}`);
    if (next !== text) {
      writeFileSync(path, next);
      rewritten++;
    }
  }
}
console.log(`typebox bundled into dist/vendor/typebox.js; ${rewritten} built files import it`);

/**
 * `npm run build`: the web app into dist/web (Vite) and the server into dist/server.js,
 * dist/rally.js and dist/smoke.js (esbuild, decision 0009). A part whose inputs hash the same as at its last build
 * is skipped, so `npm start` does not rebuild what has not changed; `--force` builds anyway.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build as esbuild } from 'esbuild';
import { build as vite } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const force = process.argv.includes('--force');

interface Part {
  name: string;
  /** Files and folders whose content decides the output (folders are read recursively). */
  inputs: string[];
  /** Present once the part is built. */
  output: string;
  build(): Promise<unknown>;
}

const shared = ['domain', 'package.json', 'package-lock.json', 'tsconfig.json'];

const parts: Part[] = [
  {
    name: 'web',
    inputs: ['web', ...shared],
    output: 'dist/web/index.html',
    build: () => vite({ configFile: path.join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' }),
  },
  {
    name: 'server',
    inputs: ['server', 'scripts/build.ts', 'scripts/smoke.ts', ...shared],
    output: 'dist/server.js',
    // One bundle per entry, packages left to node_modules (PGlite finds its wasm and data files
    // there). The bundles sit one folder below the root, as server/config.ts does, so paths it
    // takes from import.meta.url (dist/web) hold in both. dist/smoke.js is `npm run test:smoke`
    // for a host with the image and no checkout: deploy/deploy.sh runs it after each deploy.
    build: () =>
      esbuild({
        absWorkingDir: ROOT,
        entryPoints: {
          server: 'server/main.ts',
          rally: 'server/cli/rally.ts',
          smoke: 'scripts/smoke.ts',
        },
        outdir: 'dist',
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        target: 'node22',
        sourcemap: true,
        logLevel: 'warning',
      }),
  },
];

/** Every file under `inputs`, with its content, in one hash. */
async function hashInputs(inputs: string[]): Promise<string> {
  const files: string[] = [];
  async function walk(relative: string): Promise<void> {
    const absolute = path.join(ROOT, relative);
    if (!existsSync(absolute)) return;
    const entries = await readdir(absolute, { withFileTypes: true }).catch(() => undefined);
    if (!entries) {
      files.push(relative);
      return;
    }
    for (const entry of entries) {
      if (entry.name !== 'node_modules') await walk(path.join(relative, entry.name));
    }
  }
  for (const input of inputs) await walk(input);
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash
      .update(`${file}\0`)
      .update(await readFile(path.join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

for (const part of parts) {
  const stamp = path.join(DIST, `.${part.name}.hash`);
  const hash = await hashInputs(part.inputs);
  const built = existsSync(path.join(ROOT, part.output)) && existsSync(stamp);
  if (!force && built && (await readFile(stamp, 'utf8')) === hash) {
    console.log(`build: ${part.name} is up to date`);
    continue;
  }
  const started = performance.now();
  // A build that fails half-way must not leave a stamp that calls its output up to date.
  await rm(stamp, { force: true });
  await part.build();
  await mkdir(DIST, { recursive: true });
  await writeFile(stamp, hash);
  console.log(`build: ${part.name} built in ${Math.round(performance.now() - started)} ms`);
}

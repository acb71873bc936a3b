/**
 * Once per run: the tests start the real backend from server/dist, and the sf CLI test links the
 * plugin from plugin/lib, so both are built from the current sources (incremental: quick when
 * `npm run build` already did it).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export default function globalSetup() {
  for (const project of ['server/tsconfig.build.json', 'plugin/tsconfig.build.json']) {
    const build = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`${project} does not build:\n${build.stdout}${build.stderr}`);
  }
}

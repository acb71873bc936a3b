/**
 * A digest of what the preview bundle is made from: the files of the folders given (the package's
 * components, the preview's sources, the build's plugins in build/), the single files given
 * (build.mjs itself, preview/package.json), and the installed versions of the packages the build
 * runs (PACKAGES: the compiler, rollup and its plugins, base components, SLDS). When it matches the
 * one stored in dist/, the build is skipped (`npm run demo` should not pay ~20 s every time).
 * Anything else the build reads must be added here, or editing it leaves a stale bundle.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '__tests__' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (statSync(full).isFile()) out.push(full);
  }
  return out.sort();
}

const PACKAGES = [
  'lwc',
  '@lwc/rollup-plugin',
  '@lwc/synthetic-shadow',
  'lightning-base-components',
  '@salesforce-ux/design-system',
  'rollup',
  '@rollup/plugin-replace',
];

/** Read from the file: some of these packages do not export their package.json. */
function installedVersion(root, name) {
  for (const dir of [path.join(root, 'preview/node_modules'), path.join(root, 'node_modules')]) {
    const file = path.join(dir, name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'missing';
}

/**
 * @param {{ root: string, dirs: string[], files?: string[] }} inputs  the repository root, the folders
 *   read (every file under them) and single files read
 */
export function inputsHash({ root, dirs, files = [] }) {
  const hash = createHash('sha256');
  for (const file of [...dirs.flatMap((dir) => filesUnder(dir)), ...files]) {
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const name of PACKAGES) hash.update(`${name}@${installedVersion(root, name)}\0`);
  return hash.digest('hex');
}

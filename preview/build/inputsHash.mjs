/**
 * A digest of everything the preview bundle is made from: the package's components, the preview's
 * own sources and build scripts, and the versions of the compiler, base components and SLDS. When
 * it matches the one stored in dist/, the build is skipped (`npm run demo` should not pay ~20 s
 * every time).
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
];

/** Read from the file: some of these packages do not export their package.json. */
function installedVersion(root, name) {
  for (const dir of [path.join(root, 'preview/node_modules'), path.join(root, 'node_modules')]) {
    const file = path.join(dir, name, 'package.json');
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return 'missing';
}

/** @param {{ root: string, dirs: string[] }} inputs  the repository root and the folders read */
export function inputsHash({ root, dirs }) {
  const hash = createHash('sha256');
  for (const dir of dirs) {
    for (const file of filesUnder(dir)) {
      hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  for (const name of PACKAGES) hash.update(`${name}@${installedVersion(root, name)}\0`);
  return hash.digest('hex');
}

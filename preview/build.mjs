/**
 * Builds the local preview into preview/dist/: the package's real Lightning Web Components
 * (force-app/main/default/lwc, untouched) compiled by the LWC compiler with lightning-base-components,
 * the preview's shell (src/modules/preview), the platform stubs (src/stubs), SLDS and its assets.
 * The backend serves dist/ at /preview in demo mode (server/src/preview/).
 *
 *   node build.mjs          build unless the inputs are unchanged since the last build
 *   node build.mjs --force  build anyway
 */
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { rollup } from 'rollup';
import { inputsHash } from './build/inputsHash.mjs';
import { salesforceModules } from './build/salesforceModules.mjs';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const root = path.dirname(here);
const lwcDir = path.join(root, 'force-app/main/default/lwc');
const srcDir = path.join(here, 'src');
const dist = path.join(here, 'dist');
const hashFile = path.join(dist, '.inputs-hash');
const slds = path.join(path.dirname(require.resolve('@salesforce-ux/design-system/package.json')), 'assets');

/** Every folder of force-app's lwc/ is a component (or a module such as ldsUtils) in namespace c. */
function packageComponents() {
  return readdirSync(lwcDir)
    .filter((name) => statSync(path.join(lwcDir, name)).isDirectory() && !name.startsWith('__'))
    .filter((name) => existsSync(path.join(lwcDir, name, `${name}.js`)))
    .map((name) => ({ name: `c/${name}`, path: path.join(lwcDir, name, `${name}.js`) }));
}

async function bundle() {
  const build = await rollup({
    input: path.join(srcDir, 'main.js'),
    plugins: [
      salesforceModules({
        stubsDir: path.join(srcDir, 'stubs'),
        scopedImportsDir: path.join(
          path.dirname(require.resolve('lightning-base-components/package.json')),
          'scopedImports',
        ),
      }),
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' },
      }),
      lwc({
        rootDir: path.join(srcDir, 'modules'),
        modules: [{ dir: path.join(srcDir, 'modules') }, ...packageComponents(), { npm: 'lightning-base-components' }],
        enableDynamicComponents: true,
      }),
    ],
    onwarn(warning, warn) {
      // An import nothing resolves would be a runtime error in the browser: fail the build now.
      if (warning.code === 'UNRESOLVED_IMPORT') throw new Error(warning.message);
      // LBC's sources are full of `this` at module level and circular imports; neither matters here.
      if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
      // The compiler's template lint about LBC's own markup (duplicate slots in lightning-card…).
      if (warning.plugin === 'rollup-plugin-lwc-compiler' && warning.id?.includes('lightning-base-components')) return;
      warn(warning);
    },
  });
  await build.write({ file: path.join(dist, 'preview.js'), format: 'esm', inlineDynamicImports: true });
  await build.close();
}

/** The stylesheet, the icon sprites lightning-icon asks for, and the images the CSS points at. */
function copySlds() {
  const assets = path.join(dist, 'assets');
  cpSync(
    path.join(slds, 'styles/salesforce-lightning-design-system.min.css'),
    path.join(assets, 'styles/slds.min.css'),
  );
  for (const sprite of ['utility', 'standard', 'action', 'doctype', 'custom']) {
    cpSync(path.join(slds, `icons/${sprite}-sprite`), path.join(assets, `icons/${sprite}-sprite`), { recursive: true });
  }
  cpSync(path.join(slds, 'images'), path.join(assets, 'images'), { recursive: true });
}

async function main() {
  const force = process.argv.includes('--force');
  const hash = inputsHash({
    root,
    dirs: [lwcDir, srcDir, path.join(here, 'build')],
    files: [path.join(here, 'build.mjs'), path.join(here, 'package.json')],
  });
  const bundleFile = path.join(dist, 'preview.js');
  if (!force && existsSync(bundleFile) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) {
    console.log('preview: up to date (inputs unchanged), build skipped');
    return;
  }
  const started = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await bundle();
  copySlds();
  cpSync(path.join(srcDir, 'index.html'), path.join(dist, 'index.html'));
  // Written last: a build that failed half-way is never taken for an up-to-date one.
  writeFileSync(hashFile, hash);
  const kb = Math.round(statSync(bundleFile).size / 1024);
  console.log(`preview: built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (preview.js ${kb} kB)`);
}

main().catch((error) => {
  console.error(`preview: build failed: ${error.stack ?? error.message}`);
  process.exit(1);
});

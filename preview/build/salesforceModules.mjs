/**
 * A rollup plugin that answers the imports only the Salesforce platform can: `@salesforce/apex/*`,
 * `@salesforce/schema/*`, `@salesforce/i18n/*`, `lightning/uiRecordApi`, `lightning/platformShowToastEvent` and
 * `force/navigation` (which LBC's `lightning/navigation` re-exports). It runs before the LWC plugin
 * so these stubs win over anything else. An Apex method without a stub fails the build by name:
 * a new `@salesforce/apex` import must be mapped to its backend endpoint, never silently faked.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const SCHEMA_PREFIX = '\0salesforce-schema:';

/** LBC gates that need native shadow DOM (a combobox calls attachInternals when this one is open). */
const CLOSED_GATES = ['@salesforce/gate/bc.260.enableComboboxElementInternals'];

/** @param {{ stubsDir: string, scopedImportsDir: string }} options */
export function salesforceModules({ stubsDir, scopedImportsDir }) {
  const fixed = {
    '@salesforce/apex': path.join(stubsDir, 'salesforce/apex.js'),
    'lightning/uiRecordApi': path.join(stubsDir, 'lightning/uiRecordApi.js'),
    'lightning/platformShowToastEvent': path.join(stubsDir, 'lightning/platformShowToastEvent.js'),
    'force/navigation': path.join(stubsDir, 'force/navigation.js'),
  };
  return {
    name: 'closeloop-salesforce-modules',
    resolveId(source) {
      if (fixed[source]) return fixed[source];
      if (CLOSED_GATES.includes(source)) return path.join(stubsDir, 'salesforce/closedGate.js');
      if (source.startsWith('@salesforce/apex/')) {
        const method = source.slice('@salesforce/apex/'.length);
        const stub = path.join(stubsDir, 'apex', `${method}.js`);
        if (!existsSync(stub)) {
          this.error(`${source} has no stub: add preview/src/stubs/apex/${method}.js calling its backend endpoint`);
        }
        return stub;
      }
      // The locale and currency LBC formats with (its en-US defaults), for our components too.
      if (source.startsWith('@salesforce/i18n/')) {
        const file = path.join(scopedImportsDir, `${source.replaceAll('/', '-')}.js`);
        if (!existsSync(file)) this.error(`${source}: lightning-base-components has no value for it`);
        return file;
      }
      // Field and object references are plain descriptors on the platform too.
      if (source.startsWith('@salesforce/schema/')) return SCHEMA_PREFIX + source.slice('@salesforce/schema/'.length);
      return null;
    },
    load(id) {
      if (!id.startsWith(SCHEMA_PREFIX)) return null;
      const [objectApiName, fieldApiName] = id.slice(SCHEMA_PREFIX.length).split('.');
      const descriptor = fieldApiName ? { objectApiName, fieldApiName } : { objectApiName };
      return `export default ${JSON.stringify(descriptor)};`;
    },
  };
}

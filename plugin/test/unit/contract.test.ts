/** The plugin's idea of the backend and the package matches what the repository ships. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { billingView } from '../../src/api.js';
import { CONTRACT_FIELDS } from '../../src/orgContract.js';

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');

describe('the contract fields status checks', () => {
  it.each(Object.keys(CONTRACT_FIELDS))('are the %s fields force-app deploys', (object) => {
    const dir = path.join(root, 'force-app/main/default/objects', object, 'fields');
    const shipped = readdirSync(dir).map((file) => file.replace('.field-meta.xml', ''));
    expect([...CONTRACT_FIELDS[object as keyof typeof CONTRACT_FIELDS]].sort()).toEqual(shipped.sort());
  });
});

describe('the billing view the CLI reads', () => {
  const examples = readdirSync(path.join(root, 'contract')).filter((f) => f.startsWith('opportunityBilling'));

  it.each(examples)('accepts contract/%s', (file) => {
    const example = JSON.parse(readFileSync(path.join(root, 'contract', file), 'utf8')) as unknown;
    expect(billingView.safeParse(example).success).toBe(true);
  });
});

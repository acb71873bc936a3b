/** The examples in contract/ are exactly the shapes the backend serves (the LWC tests use them). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { accountPulseView, opportunityBillingView } from '../../src/financials/views';

const dir = path.resolve(__dirname, '..', '..', '..', 'contract');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there are examples for both endpoints', () => {
  expect(files.filter((f) => f.startsWith('accountPulse')).length).toBeGreaterThanOrEqual(3);
  expect(files.filter((f) => f.startsWith('opportunityBilling')).length).toBeGreaterThanOrEqual(3);
});

test.each(files)('%s matches its schema exactly (no unknown keys)', (file) => {
  const json: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const schema = file.startsWith('accountPulse') ? accountPulseView : opportunityBillingView;
  const parsed = schema.strict().safeParse(json);
  expect(parsed.error?.issues ?? []).toEqual([]);
});

/** The examples in contract/ are exactly the shapes the backend serves (the LWC tests use them). */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { accountPulseView, opportunityBillingView } from '../../src/financials/views';
import { forecastVsActualView } from '../../src/forecast/view';

const dir = path.resolve(__dirname, '..', '..', '..', 'contract');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

const schemas: Record<string, z.ZodObject> = {
  accountPulse: accountPulseView,
  opportunityBilling: opportunityBillingView,
  forecastVsActual: forecastVsActualView,
};
const schemaOf = (file: string) => schemas[file.split('.')[0] ?? ''];

test('there are examples for every endpoint, and no file without a schema', () => {
  expect(files.filter((f) => f.startsWith('accountPulse')).length).toBeGreaterThanOrEqual(3);
  expect(files.filter((f) => f.startsWith('opportunityBilling')).length).toBeGreaterThanOrEqual(3);
  expect(files.filter((f) => f.startsWith('forecastVsActual')).length).toBeGreaterThanOrEqual(4);
  expect(files.filter((f) => !schemaOf(f))).toEqual([]);
});

test.each(files)('%s matches its schema exactly (no unknown keys)', (file) => {
  const json: unknown = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  const parsed = schemaOf(file)?.strict().safeParse(json);
  expect(parsed ? (parsed.error?.issues ?? []) : ['no schema']).toEqual([]);
});

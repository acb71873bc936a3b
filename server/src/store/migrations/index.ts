/** Versioned migrations, applied in order, once each. Append; never edit one that has shipped. */
import core from './001_core';
import sandboxErp from './002_sandbox_erp';
import sandboxFeeds from './003_sandbox_feeds';
import financialReadModel from './004_financial_read_model';
import jobRerun from './005_job_rerun';
import accountSummaries from './006_account_summaries';
import financialDirty from './007_financial_dirty';
import forecast from './008_forecast';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  { version: 1, name: 'core', sql: core },
  { version: 2, name: 'sandbox_erp', sql: sandboxErp },
  { version: 3, name: 'sandbox_feeds', sql: sandboxFeeds },
  { version: 4, name: 'financial_read_model', sql: financialReadModel },
  { version: 5, name: 'job_rerun', sql: jobRerun },
  { version: 6, name: 'account_summaries', sql: accountSummaries },
  { version: 7, name: 'financial_dirty', sql: financialDirty },
  { version: 8, name: 'forecast', sql: forecast },
];

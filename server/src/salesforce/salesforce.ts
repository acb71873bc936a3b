/**
 * Salesforce as the rest of the backend sees it: one object over the client, with the org's
 * shape (multi-currency or not, corporate currency) learnt from the org on first use.
 */
import {
  accountLinksChangedSince,
  accountsWithoutErpCustomer,
  findAccountsByErpCustomerIds,
  readAccountLinks,
} from './accounts';
import { SalesforceClient, type RecordResult, type RecordUpdate, type SalesforceOptions } from './client';
import { findOpportunitiesToBook, readOpportunityForBooking, type OpportunityForBooking } from './opportunities';
import { describeOrg, type OrgInfo } from './org';
import { currencyRates, opportunitiesChangedSince, type PipelineOpportunity } from './pipeline';

export class Salesforce {
  readonly client: SalesforceClient;
  private org: Promise<OrgInfo> | null = null;

  constructor(options: SalesforceOptions) {
    this.client = new SalesforceClient(options);
  }

  /** Learnt once per process (two API calls); a failure is not cached. */
  orgInfo(): Promise<OrgInfo> {
    this.org ??= describeOrg(this.client).catch((e: unknown) => {
      this.org = null;
      throw e;
    });
    return this.org;
  }

  async readOpportunity(id: string): Promise<OpportunityForBooking | null> {
    return readOpportunityForBooking(this.client, await this.orgInfo(), id);
  }

  findOpportunitiesToBook(closedSince: string): Promise<string[]> {
    return findOpportunitiesToBook(this.client, closedSince);
  }

  async findAccountsByErpCustomerIds(ids: string[]) {
    return findAccountsByErpCustomerIds(this.client, await this.orgInfo(), ids);
  }

  async readAccountLinks(accountIds: string[]) {
    return readAccountLinks(this.client, await this.orgInfo(), accountIds);
  }

  async accountLinksChangedSince(since: string | null) {
    return accountLinksChangedSince(this.client, await this.orgInfo(), since);
  }

  accountsWithoutErpCustomer(afterId: string | null, limit: number) {
    return accountsWithoutErpCustomer(this.client, afterId, limit);
  }

  async *opportunitiesChangedSince(since: string | null): AsyncGenerator<PipelineOpportunity[]> {
    yield* opportunitiesChangedSince(this.client, await this.orgInfo(), since);
  }

  async currencyRates() {
    return currencyRates(this.client, await this.orgInfo());
  }

  update(records: RecordUpdate[]): Promise<RecordResult[]> {
    return this.client.update(records);
  }

  /** Logs in (readiness check). */
  ping(): Promise<void> {
    return this.client.login();
  }

  apiUsage() {
    return this.client.apiUsage();
  }
}

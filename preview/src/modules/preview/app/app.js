import { LightningElement } from 'lwc';
import { notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { listRecords } from 'preview/api';
import { reduceErrors } from 'c/ldsUtils';
import { apiToken, NO_TOKEN_MESSAGE } from '../../../stubs/backend/backend';

/**
 * The preview page: pick an account or an opportunity of the local Salesforce and see the
 * package's components as its record page shows them, act out a scenario, watch them update.
 */
export default class App extends LightningElement {
  records = { accounts: [], opportunities: [] };
  recordId;
  loadError;
  /** Bumped to reload a part of the page, as a person reloading the record page would. */
  pageLoads = { billing: 0, pulse: 0, dashboard: 0 };

  /** Opened without the token the demo printed: nothing can be read, and the page says so. */
  hasToken = Boolean(apiToken());

  connectedCallback() {
    this.template.addEventListener('lightning__showtoast', (event) => {
      this.template.querySelector('preview-toasts').show(event.detail);
    });
    if (!this.hasToken) {
      this.loadError = NO_TOKEN_MESSAGE;
      return;
    }
    this.loadRecords(true);
  }

  async loadRecords(chooseFirst) {
    try {
      this.records = await listRecords();
      this.loadError = undefined;
      if (chooseFirst && !this.recordId) {
        const wanted = new URLSearchParams(window.location.hash.slice(1)).get('record');
        const known = this.allRecords.find((r) => r.id === wanted);
        this.recordId = known ? known.id : this.records.accounts[0]?.id;
      }
    } catch (error) {
      this.loadError = `The local Salesforce's records could not be read: ${reduceErrors(error).join(' ')}`;
    }
  }

  get allRecords() {
    return [...this.records.accounts, ...this.records.opportunities];
  }

  get recordOptions() {
    const accounts = this.records.accounts.map((a) => ({ label: `Account: ${a.name}`, value: a.id }));
    const opportunities = this.records.opportunities.map((o) => ({
      label: `Opportunity: ${o.name} (${o.stage})`,
      value: o.id,
    }));
    return [...accounts, ...opportunities];
  }

  get chosenOpportunity() {
    return this.records.opportunities.find((o) => o.id === this.recordId);
  }

  /** The account whose pulse shows: the chosen account, or the chosen opportunity's. */
  get chosenAccountId() {
    const opportunity = this.chosenOpportunity;
    if (opportunity) return opportunity.accountId;
    return this.records.accounts.some((a) => a.id === this.recordId) ? this.recordId : undefined;
  }

  get opportunityPages() {
    const opportunity = this.chosenOpportunity;
    return opportunity ? [{ key: `${opportunity.id}-${this.pageLoads.billing}`, recordId: opportunity.id }] : [];
  }

  get accountPages() {
    const accountId = this.chosenAccountId;
    if (!accountId) return [];
    const account = this.records.accounts.find((a) => a.id === accountId);
    const title = this.chosenOpportunity ? `The opportunity's account: ${account ? account.name : ''}` : '';
    return [{ key: `${accountId}-${this.pageLoads.pulse}`, recordId: accountId, title }];
  }

  get dashboardPages() {
    return [{ key: `forecast-${this.pageLoads.dashboard}` }];
  }

  /** The scenario panel acts on the chosen opportunity, or on the chosen account's deals. */
  get scenarioOpportunities() {
    const opportunity = this.chosenOpportunity;
    if (opportunity) return [opportunity];
    return this.records.opportunities.filter((o) => o.accountId === this.chosenAccountId);
  }

  handleRecordChange(event) {
    this.recordId = event.detail.value;
  }

  /**
   * After a scenario: the opportunity's wired record gets its new fields as LDS would provide
   * them — after a booking the billing card sees the new stage and status and asks Apex again by
   * itself. A payment or an overdue invoice changes none of the fields it watches, so, like the
   * pulse and the dashboard (whose Apex reads LDS serves from its cache), it is reloaded as a
   * person reloads the page.
   */
  async handleScenarioDone(event) {
    const { kind, opportunityId } = event.detail;
    await this.loadRecords(false);
    await notifyRecordUpdateAvailable([{ recordId: opportunityId }]);
    const { billing, pulse, dashboard } = this.pageLoads;
    this.pageLoads = {
      billing: kind === 'close-won' ? billing : billing + 1,
      pulse: pulse + 1,
      dashboard: dashboard + 1,
    };
  }
}

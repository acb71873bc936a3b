import { LightningElement, api } from 'lwc';
import { runScenario, syncNow } from 'preview/api';
import { reduceErrors } from 'c/ldsUtils';

const WORKING = {
  'close-won': 'Closed Won in Salesforce; the trigger told the backend, which is booking the deal in the ERP…',
  payment: 'Recording the payment in the ERP, then a financial sweep…',
  overdue: 'Moving the invoice’s due date into the past in the ERP, then a financial sweep…',
  sync: 'Financial sweep and opportunity sync…',
};

/**
 * What a rep does in Salesforce and finance does in the ERP, one button each. The backend carries
 * it out (POST /preview/api/scenarios/...) and the real flows run; then `scenariodone` tells the
 * page to look again.
 */
export default class ScenarioPanel extends LightningElement {
  _opportunities = [];

  /** The deals to act on; another record's deals make the last outcome stale, so it goes. */
  @api
  get opportunities() {
    return this._opportunities;
  }
  set opportunities(value) {
    const ids = (list) => list.map((o) => o.id).join(',');
    if (ids(value || []) !== ids(this._opportunities)) {
      this.result = undefined;
      this.errorText = undefined;
    }
    this._opportunities = value || [];
  }
  chosenId;
  amount = '';
  busy = false;
  busyText;
  result;
  errorText;

  get hasOpportunities() {
    return this.opportunities.length > 0;
  }

  get opportunityId() {
    const chosen = this.opportunities.find((o) => o.id === this.chosenId);
    return (chosen || this.opportunities[0] || {}).id;
  }

  get opportunity() {
    return this.opportunities.find((o) => o.id === this.opportunityId);
  }

  get opportunityOptions() {
    return this.opportunities.map((o) => ({ label: o.name, value: o.id }));
  }

  /** Amounts are the API's decimal strings, shown as given. */
  get opportunitySummary() {
    const o = this.opportunity;
    if (!o) return '';
    const amount = o.amount === null ? 'no amount' : `${o.currency} ${o.amount}`;
    return `${o.stage} · ${amount} · booking: ${o.bookingStatus || 'Not Booked'}`;
  }

  get closeWonDisabled() {
    return this.busy || !this.opportunity || this.opportunity.stage.startsWith('Closed');
  }

  handleOpportunityChange(event) {
    this.chosenId = event.detail.value;
  }

  handleAmountChange(event) {
    this.amount = event.detail.value;
  }

  handleCloseWon() {
    this.run('close-won', () => runScenario('close-won', { opportunityId: this.opportunityId }));
  }

  handlePayment() {
    const amount = (this.amount || '').trim();
    this.run('payment', () =>
      runScenario(
        'payment',
        amount ? { opportunityId: this.opportunityId, amount } : { opportunityId: this.opportunityId },
      ),
    );
  }

  handleOverdue() {
    this.run('overdue', () => runScenario('overdue', { opportunityId: this.opportunityId }));
  }

  handleSync() {
    this.run('sync', () => syncNow());
  }

  async run(kind, action) {
    const opportunityId = this.opportunityId;
    this.busy = true;
    this.busyText = WORKING[kind];
    this.result = undefined;
    this.errorText = undefined;
    try {
      const outcome = await action();
      this.result = describe(kind, outcome);
      this.dispatchEvent(new CustomEvent('scenariodone', { detail: { kind, opportunityId } }));
    } catch (error) {
      this.errorText = reduceErrors(error).join(' ');
    } finally {
      this.busy = false;
    }
  }
}

function describe(kind, outcome) {
  if (kind === 'sync') return 'Synced: the ERP’s invoices and payments are on the accounts.';
  const invoice = outcome.invoiceNumber
    ? `, invoice ${outcome.invoiceNumber} (${outcome.invoiceStatus || 'no status'})`
    : '';
  const why = outcome.bookingError ? ` — ${outcome.bookingError}` : '';
  return `Done. The opportunity shows: ${outcome.stage}, ${outcome.bookingStatus || 'Not Booked'}${invoice}${why}.`;
}

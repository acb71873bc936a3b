import { LightningElement, api, wire } from 'lwc';
import getPulse from '@salesforce/apex/AccountPulseController.getPulse';
import refreshPulse from '@salesforce/apex/AccountPulseController.refreshPulse';
import { isZero, percentOf } from 'c/closeloopFormat';
import { reduceErrors } from 'c/ldsUtils';

/**
 * The Account page's financial pulse from the ERP, through Closeloop: what the customer owes,
 * how late, how much credit is left, and the latest invoices and payments.
 */
export default class AccountFinancialPulse extends LightningElement {
    @api recordId;
    /** App Builder: how many recent invoices to list. */
    @api invoicesToShow = 5;
    /** App Builder: how many recent payments to list. */
    @api paymentsToShow = 5;

    pulse;
    error;
    refreshing = false;
    refreshError;

    @wire(getPulse, { accountId: '$recordId', invoicesLimit: '$invoicesToShow', paymentsLimit: '$paymentsToShow' })
    wiredPulse({ data, error }) {
        if (data) {
            this.pulse = data;
            this.error = undefined;
        } else if (error) {
            this.pulse = undefined;
            this.error = error;
        }
    }

    get isLoading() {
        return !this.pulse && !this.error;
    }

    get hasError() {
        return !this.pulse && !!this.error;
    }

    get isUnlinked() {
        return !!this.pulse && this.pulse.linked === false;
    }

    get isLinked() {
        return !!this.pulse && this.pulse.linked === true && !!this.pulse.summary;
    }

    get summary() {
        return this.pulse.summary;
    }

    get hasOverdue() {
        return !isZero(this.summary.overdue);
    }

    get overdueClass() {
        return this.hasOverdue ? 'figure slds-text-color_error' : 'figure';
    }

    get hasCreditLimit() {
        return !!this.summary.creditLimit;
    }

    get creditUsedPercent() {
        const { creditLimit, availableCredit } = this.summary;
        if (!creditLimit || !availableCredit) {
            return 0;
        }
        return Math.max(0, Math.round((100 - percentOf(availableCredit, creditLimit)) * 10) / 10);
    }

    get creditBarStyle() {
        return `width: ${this.creditUsedPercent}%`;
    }

    get creditBarClass() {
        return this.creditUsedPercent >= 90 ? 'credit-used credit-used_high' : 'credit-used';
    }

    get creditUsedLabel() {
        return `${this.creditUsedPercent}% of the credit limit used`;
    }

    get hasDso() {
        return this.summary.dso !== null && this.summary.dso !== undefined;
    }

    get otherCurrencies() {
        return (this.pulse.otherCurrencies || []).map((entry) => ({ ...entry, key: entry.outstanding.currency }));
    }

    get hasOtherCurrencies() {
        return this.otherCurrencies.length > 0;
    }

    get refreshNote() {
        const refresh = this.pulse && this.pulse.refresh;
        if (!refresh || refresh.live) {
            return null;
        }
        return refresh.reason || 'The ERP could not be reached; these are the last figures Closeloop has.';
    }

    get refreshErrorMessage() {
        return this.refreshError ? reduceErrors(this.refreshError).join(' ') : null;
    }

    get refreshDisabled() {
        return this.refreshing || !this.pulse;
    }

    /** Asks the backend to pull this customer from the ERP now, then shows what it answered. */
    async handleRefresh() {
        this.refreshing = true;
        this.refreshError = undefined;
        try {
            this.pulse = await refreshPulse({
                accountId: this.recordId,
                invoicesLimit: this.invoicesToShow,
                paymentsLimit: this.paymentsToShow,
            });
            this.error = undefined;
        } catch (error) {
            this.refreshError = error;
        } finally {
            this.refreshing = false;
        }
    }
}

import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
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
    /** What the wire last provided, kept for refreshApex. */
    wiredPulseResult;
    /** The last Refresh's answer and the request it answers: shown until the wire has newer figures. */
    refreshed;

    @wire(getPulse, { accountId: '$recordId', invoicesLimit: '$invoicesToShow', paymentsLimit: '$paymentsToShow' })
    wiredPulse(result) {
        this.wiredPulseResult = result;
        const { data, error } = result;
        const refreshed = this.refreshedAnswer();
        if (data) {
            // After a Refresh the wire brings the read model's answer again (refreshApex): the same
            // figures without the live pull's note. The refreshed answer stays until newer figures come.
            if (refreshed && !isNewer(data, refreshed)) {
                this.pulse = refreshed;
            } else {
                this.refreshed = undefined;
                this.pulse = data;
            }
            this.error = undefined;
        } else if (error) {
            this.pulse = refreshed;
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

    /**
     * Asks the backend to pull this customer from the ERP now and shows what it answered; then
     * refreshes the wire's cache, so the page shows these figures, not the old ones, next time.
     */
    async handleRefresh() {
        this.refreshing = true;
        this.refreshError = undefined;
        let fresh;
        try {
            fresh = await refreshPulse(this.request());
        } catch (error) {
            this.refreshError = error;
            this.refreshing = false;
            return;
        }
        this.refreshed = { key: requestKey(this.request()), pulse: fresh };
        this.pulse = fresh;
        this.error = undefined;
        try {
            if (this.wiredPulseResult) {
                await refreshApex(this.wiredPulseResult);
            }
        } catch {
            // The figures on screen are the fresh ones; only the cache for the next visit is stale.
        } finally {
            this.refreshing = false;
        }
    }

    request() {
        return { accountId: this.recordId, invoicesLimit: this.invoicesToShow, paymentsLimit: this.paymentsToShow };
    }

    /** The last Refresh's answer, if it answers what the wire asks for now (same account, same rows). */
    refreshedAnswer() {
        return this.refreshed && this.refreshed.key === requestKey(this.request()) ? this.refreshed.pulse : undefined;
    }
}

function requestKey({ accountId, invoicesLimit, paymentsLimit }) {
    return `${accountId}|${invoicesLimit}|${paymentsLimit}`;
}

/** True when pulse a was computed after pulse b (both carry the read model's "as of"). */
function isNewer(a, b) {
    const at = Date.parse(a && a.asOf);
    const bt = Date.parse(b && b.asOf);
    return !Number.isNaN(at) && (Number.isNaN(bt) || at > bt);
}

import { LightningElement, api, wire } from 'lwc';
import { refreshApex } from '@salesforce/apex';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import getBilling from '@salesforce/apex/OpportunityBillingController.getBilling';
import retryBooking from '@salesforce/apex/OpportunityBillingController.retryBooking';
import STAGE_FIELD from '@salesforce/schema/Opportunity.StageName';
import AMOUNT_FIELD from '@salesforce/schema/Opportunity.Amount';
import BOOKING_STATUS_FIELD from '@salesforce/schema/Opportunity.Booking_Status__c';
import { bookingStatusClass, invoiceStatusClass } from 'c/closeloopFormat';
import { reduceErrors } from 'c/ldsUtils';

const STATUS_HINTS = {
    'Not Booked': 'Closeloop books this deal in the ERP when it is Closed Won.',
    Pending: 'Sent to the ERP. This card shows the order and invoice when the ERP confirms them.',
};

/**
 * The Opportunity page's billing card: where the deal stands in the ERP (booking, order,
 * invoice, payments), a credit warning before closing, and "Retry booking" when it failed.
 */
export default class OpportunityBilling extends LightningElement {
    @api recordId;

    billing;
    error;
    retrying = false;
    wiredBilling;
    recordKey;

    @wire(getBilling, { opportunityId: '$recordId' })
    wiredBillingResult(result) {
        this.wiredBilling = result;
        const { data, error } = result;
        if (data) {
            this.billing = data;
            this.error = undefined;
        } else if (error) {
            this.billing = undefined;
            this.error = error;
        }
    }

    /** When the rep changes the stage, amount or status on this page, the card asks again. */
    @wire(getRecord, { recordId: '$recordId', fields: [STAGE_FIELD, AMOUNT_FIELD, BOOKING_STATUS_FIELD] })
    wiredRecord({ data }) {
        if (!data) {
            return;
        }
        const key = [STAGE_FIELD, AMOUNT_FIELD, BOOKING_STATUS_FIELD].map((f) => getFieldValue(data, f)).join('|');
        if (this.recordKey !== undefined && key !== this.recordKey && this.wiredBilling) {
            refreshApex(this.wiredBilling);
        }
        this.recordKey = key;
    }

    get isLoading() {
        return !this.billing && !this.error;
    }

    get hasError() {
        return !this.billing && !!this.error;
    }

    get statusClass() {
        return `booking-status ${bookingStatusClass(this.billing.bookingStatus)}`;
    }

    get statusHint() {
        return STATUS_HINTS[this.billing.bookingStatus] || null;
    }

    get invoice() {
        return this.billing.invoice;
    }

    get invoiceClass() {
        return `invoice-status ${invoiceStatusClass(this.invoice.status)}`;
    }

    get hasAmounts() {
        return !!(this.billing.amountInvoiced || this.billing.amountPaid);
    }

    get creditWarning() {
        const check = this.billing.creditCheck;
        return check && (check.exceedsAvailableCredit || check.creditHold) ? check : null;
    }

    get creditOk() {
        const check = this.billing.creditCheck;
        return check && !check.exceedsAvailableCredit && !check.creditHold ? check : null;
    }

    get showFailure() {
        return (
            !!this.billing.bookingError ||
            this.billing.bookingStatus === 'Failed' ||
            this.billing.bookingStatus === 'Credit Hold'
        );
    }

    get failureTitle() {
        return this.billing.bookingStatus === 'Credit Hold'
            ? 'The ERP is holding this order for credit'
            : 'Booking failed';
    }

    get failureText() {
        return this.billing.bookingError || 'The ERP did not say why.';
    }

    get canRetry() {
        return this.billing.canRetry === true;
    }

    async handleRetry() {
        this.retrying = true;
        try {
            await retryBooking({ opportunityId: this.recordId });
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Booking requested',
                    message: 'Closeloop is booking this deal again. This card shows the result when the ERP answers.',
                    variant: 'success',
                }),
            );
            await refreshApex(this.wiredBilling);
        } catch (error) {
            this.dispatchEvent(
                new ShowToastEvent({
                    title: 'Could not retry the booking',
                    message: reduceErrors(error).join(' '),
                    variant: 'error',
                    mode: 'sticky',
                }),
            );
        } finally {
            this.retrying = false;
        }
    }
}

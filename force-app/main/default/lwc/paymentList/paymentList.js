import { LightningElement, api } from 'lwc';

/** Recent payments: date, the invoice paid and the amount. */
export default class PaymentList extends LightningElement {
    /** A page of payments: {total, limit, offset, items}. */
    @api payments;

    get rows() {
        const items = (this.payments && this.payments.items) || [];
        return items.map((payment) => ({
            ...payment,
            invoiceLabel: payment.invoiceNumber || `Invoice ${payment.invoiceId}`,
        }));
    }

    get hasRows() {
        return this.rows.length > 0;
    }
}

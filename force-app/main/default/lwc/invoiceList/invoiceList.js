import { LightningElement, api } from 'lwc';
import { invoiceStatusClass } from 'c/closeloopFormat';

/** Recent invoices: number, status badge (overdue red, paid green), due date, total and open amount. */
export default class InvoiceList extends LightningElement {
    /** A page of invoices: {total, limit, offset, items}. */
    @api invoices;

    get rows() {
        const items = (this.invoices && this.invoices.items) || [];
        return items.map((invoice) => ({
            ...invoice,
            label: invoice.number || `Draft ${invoice.id}`,
            badgeClass: invoiceStatusClass(invoice.status),
            overdueText:
                invoice.daysOverdue > 0
                    ? `${invoice.daysOverdue} ${invoice.daysOverdue === 1 ? 'day' : 'days'} overdue`
                    : null,
        }));
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    get countText() {
        const total = this.invoices ? this.invoices.total : 0;
        return this.rows.length < total ? `${this.rows.length} of ${total} invoices` : null;
    }
}

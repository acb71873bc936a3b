import { LightningElement, api } from 'lwc';
import { compareMoney, isZero } from 'c/closeloopFormat';

/** The figures a manager compares reps and lead sources on; paid on time only for lead sources. */
const COLUMNS = [
    { name: 'booked', label: 'Booked', kind: 'money' },
    { name: 'invoiced', label: 'Invoiced', kind: 'money' },
    { name: 'bookedToInvoiced', label: 'Invoiced of booked', kind: 'ratio' },
    { name: 'paid', label: 'Paid', kind: 'money' },
    { name: 'collectionRate', label: 'Collection rate', kind: 'ratio' },
    { name: 'openReceivable', label: 'Open receivable', kind: 'money' },
    { name: 'overdue', label: 'Overdue', kind: 'money' },
    { name: 'dso', label: 'DSO (days)', kind: 'days', title: 'Days sales outstanding' },
    { name: 'avgDaysCloseToInvoice', label: 'Close → invoice (days)', kind: 'days' },
    { name: 'avgDaysInvoiceToPayment', label: 'Invoice → payment (days)', kind: 'days' },
    { name: 'paidOnTimeRate', label: 'Paid on time', kind: 'ratio', groupBy: 'leadSource' },
];

const FIRST_COLUMN = { period: 'Period', owner: 'Owner', leadSource: 'Lead source' };
const LABEL = 'label';

/**
 * One row per period, rep or lead source (all in one currency), sortable by any column: click a
 * header to sort, again to reverse. Rows with nothing measured sort last either way. Overdue
 * amounts above zero are red. A rep or lead source can be opened by period (the drilldown event).
 */
export default class ForecastTable extends LightningElement {
    /** The forecast's groups, all in one currency. */
    @api rows = [];
    /** period, owner or leadSource. */
    @api groupBy = 'period';

    /** The column sorted on (null: the backend's order) and which way. */
    sortedBy = null;
    sortAscending = true;

    get firstColumnLabel() {
        return FIRST_COLUMN[this.groupBy] || 'Group';
    }

    get caption() {
        return `Forecast vs actual by ${this.firstColumnLabel.toLowerCase()}`;
    }

    get columns() {
        return COLUMNS.filter((c) => !c.groupBy || c.groupBy === this.groupBy);
    }

    get headers() {
        return [{ name: LABEL, label: this.firstColumnLabel, kind: 'label' }, ...this.columns].map((c) => {
            const sorted = this.sortedBy === c.name;
            return {
                ...c,
                ariaSort: sorted ? (this.sortAscending ? 'ascending' : 'descending') : 'none',
                headerClass: `slds-is-sortable${c.kind === 'label' ? '' : ' slds-text-align_right'}${sorted ? ' slds-is-sorted' : ''}`,
                sortIcon: sorted && this.sortAscending ? 'utility:arrowup' : 'utility:arrowdown',
                iconClass: sorted ? 'slds-m-left_xx-small' : 'slds-m-left_xx-small slds-is-sortable__icon',
                buttonTitle: `Sort by ${c.label}`,
            };
        });
    }

    get tableRows() {
        const canDrill = this.groupBy !== 'period';
        const rows = this.rows.map((group, index) => ({
            group,
            key: `${group.key === null ? 'none' : group.key}|${group.currency}|${index}`,
            dataKey: group.key === null ? '' : group.key,
            label: group.label,
            drillable: canDrill && group.key !== null,
            drillTitle: `Show ${group.label} by period`,
            cells: this.columns.map((c) => cell(c, group[c.name])),
        }));
        return this.sortedBy ? rows.sort((a, b) => this.compareRows(a.group, b.group)) : rows;
    }

    get hasRows() {
        return this.rows.length > 0;
    }

    handleSort(event) {
        const name = event.currentTarget.dataset.column;
        if (this.sortedBy === name) {
            this.sortAscending = !this.sortAscending;
        } else {
            this.sortedBy = name;
            // Names and periods read best A→Z; figures biggest first.
            this.sortAscending = name === LABEL;
        }
    }

    handleDrilldown(event) {
        const key = event.currentTarget.dataset.key;
        const group = this.rows.find((g) => g.key === key);
        this.dispatchEvent(
            new CustomEvent('drilldown', { detail: { groupBy: this.groupBy, key, label: group ? group.label : key } }),
        );
    }

    compareRows(a, b) {
        if (this.sortedBy === LABEL) {
            // Periods sort by key (2026-07 before 2026-10), people and sources by name; "none" last.
            const x = this.groupBy === 'period' ? a.key : a.key === null ? null : a.label;
            const y = this.groupBy === 'period' ? b.key : b.key === null ? null : b.label;
            return nullsLast(x, y, (p, q) => p.localeCompare(q), this.sortAscending);
        }
        const column = COLUMNS.find((c) => c.name === this.sortedBy);
        const compare = column.kind === 'money' ? compareMoney : (p, q) => p - q;
        return nullsLast(a[column.name], b[column.name], compare, this.sortAscending);
    }
}

/** What one cell shows; null ratios and days are "—". */
function cell(column, value) {
    const missing = value === null || value === undefined;
    const alert = column.name === 'overdue' && !missing && !isZero(value);
    return {
        key: column.name,
        isMoney: column.kind === 'money' && !missing,
        isRatio: column.kind === 'ratio' && !missing,
        isDays: column.kind === 'days' && !missing,
        missing,
        value,
        className: `slds-text-align_right${alert ? ' overdue slds-text-color_error' : ''}`,
    };
}

/** A comparator in the direction asked, with missing values after the others either way. */
function nullsLast(x, y, compare, ascending) {
    const xMissing = x === null || x === undefined;
    const yMissing = y === null || y === undefined;
    if (xMissing || yMissing) {
        return (xMissing ? 1 : 0) - (yMissing ? 1 : 0);
    }
    const order = compare(x, y);
    return ascending ? order : -order;
}

import { LightningElement, api } from 'lwc';
import LOCALE from '@salesforce/i18n/locale';
import { formatMoney, maxMoney, percentOf, sumMoney } from 'c/closeloopFormat';

/** The four steps from pipeline to cash, in the order money moves through them. */
const SERIES = [
    { name: 'pipeline', label: 'Pipeline (open)' },
    { name: 'booked', label: 'Booked' },
    { name: 'invoiced', label: 'Invoiced' },
    { name: 'paid', label: 'Paid' },
];

// Sizes in pixels. The chart keeps them whatever the number of columns (36 months would shrink
// labels to nothing if it scaled to the card's width), and scrolls sideways when it is wider.
const BAR = 14;
const BAR_GAP = 2;
const GROUP_GAP = 24;
const GROUP = SERIES.length * BAR + (SERIES.length - 1) * BAR_GAP;
const PLOT_TOP = 4;
const PLOT_HEIGHT = 160;
const LABEL_SPACE = 24;
const LABEL_CHARS = 12;

/**
 * Pipeline → booked → invoiced → paid as grouped bars, one group per period (or per rep, or per
 * lead source), all in ONE currency. Plain SVG: no library to load. The SVG is an image with a
 * summary for screen readers; the figures themselves are in a table under a disclosure.
 */
export default class ForecastChart extends LightningElement {
    /** [{key, label, pipeline, booked, invoiced, paid}]: money objects, all in `currency`. */
    @api columns = [];
    /** The ISO code every amount is in. */
    @api currency;
    /** What a column is: "Period", "Owner" or "Lead source". */
    @api axisLabel = 'Period';

    get series() {
        return SERIES.map((s) => ({ ...s, swatchClass: `swatch bar_${s.name}` }));
    }

    get largest() {
        return maxMoney(this.columns.flatMap((c) => SERIES.map((s) => c[s.name])));
    }

    get width() {
        return Math.max(1, this.columns.length) * (GROUP + GROUP_GAP);
    }

    get height() {
        return PLOT_TOP + PLOT_HEIGHT + LABEL_SPACE;
    }

    get viewBox() {
        return `0 0 ${this.width} ${this.height}`;
    }

    get baseline() {
        return PLOT_TOP + PLOT_HEIGHT;
    }

    get groups() {
        const largest = this.largest;
        return this.columns.map((column, index) => {
            const left = index * (GROUP + GROUP_GAP) + GROUP_GAP / 2;
            const bars = SERIES.map((s, n) => {
                const share = percentOf(column[s.name], largest);
                // A bar for any amount above zero stays visible, however small next to the largest.
                const height = share > 0 ? Math.max(1, (share * PLOT_HEIGHT) / 100) : 0;
                return {
                    key: s.name,
                    className: `bar bar_${s.name}`,
                    x: left + n * (BAR + BAR_GAP),
                    y: this.baseline - height,
                    width: BAR,
                    height,
                };
            });
            return {
                key: column.key === null ? `none-${index}` : column.key,
                label: column.label,
                shortLabel: shorten(column.label),
                labelX: left + GROUP / 2,
                labelY: this.baseline + 16,
                bars,
            };
        });
    }

    get hasColumns() {
        return this.columns.length > 0;
    }

    /** What a screen reader hears: the range and the totals of each step (one currency, so they add up). */
    get summary() {
        if (!this.hasColumns) {
            return `No figures in ${this.currency}.`;
        }
        const first = this.columns[0].label;
        const last = this.columns[this.columns.length - 1].label;
        const range = first === last ? first : `${first} to ${last}`;
        const totals = SERIES.map((s) => {
            const total = sumMoney(this.columns.map((c) => c[s.name]));
            return `${s.label.toLowerCase()} ${formatMoney(total, LOCALE)}`;
        }).join(', ');
        return `Bar chart in ${this.currency}, ${range}. In all: ${totals}. The figures for each ${this.axisLabel.toLowerCase()} are in the table below the chart.`;
    }

    get rows() {
        return this.columns.map((column, index) => ({
            key: column.key === null ? `none-${index}` : column.key,
            label: column.label,
            cells: SERIES.map((s) => ({ key: s.name, money: column[s.name] })),
        }));
    }
}

function shorten(label) {
    return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label;
}

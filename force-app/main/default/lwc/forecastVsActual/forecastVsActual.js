import { LightningElement, api, wire } from 'lwc';
import LOCALE from '@salesforce/i18n/locale';
import USER_CURRENCY from '@salesforce/i18n/currency';
import getForecast from '@salesforce/apex/ForecastController.getForecast';
import { GRAINS, convertRange, defaultRange, isPeriod, periodOptions } from 'c/forecastPeriods';

const GROUP_LABELS = { period: 'Period', owner: 'Owner', leadSource: 'Lead source' };
const GROUP_OPTIONS = Object.entries(GROUP_LABELS).map(([value, label]) => ({ label, value }));
const GRAIN_OPTIONS = [
    { label: 'Months', value: 'month' },
    { label: 'Quarters', value: 'quarter' },
];
const MAX_PERIODS = 36;
const STEPS = ['pipeline', 'booked', 'invoiced', 'paid'];

/**
 * Forecast vs actual for sales managers: of the deals that closed in a range of months or
 * quarters, how much pipeline became booked, invoiced and paid, by period, rep or lead source.
 * Amounts in different currencies are never added up: unless the backend converted them, the
 * manager picks which currency to look at.
 */
export default class ForecastVsActual extends LightningElement {
    /** App Builder: month or quarter. */
    @api defaultGrain = 'month';
    /** App Builder: period, owner or leadSource. */
    @api defaultGroupBy = 'period';
    /** App Builder: how many periods, up to the current one, the range starts with. */
    @api periodCount = 6;

    // What is asked of Apex (each change is a new request).
    grain;
    groupBy;
    fromPeriod;
    toPeriod;
    convertCurrency = false;
    ownerId = null;
    leadSource = null;

    /** The rep or lead source opened by period: {label} (null: everyone). */
    filter = null;
    chosenCurrency;
    forecast;
    error;
    loading = true;

    connectedCallback() {
        const grain = GRAINS.includes(this.defaultGrain) ? this.defaultGrain : 'month';
        const count = Math.min(MAX_PERIODS, Math.max(1, Number(this.periodCount) || 6));
        this.grain = grain;
        this.groupBy = GROUP_LABELS[this.defaultGroupBy] ? this.defaultGroupBy : 'period';
        Object.assign(this, defaultRange(grain, count));
    }

    @wire(getForecast, {
        fromPeriod: '$fromPeriod',
        toPeriod: '$toPeriod',
        grain: '$grain',
        groupBy: '$groupBy',
        ownerId: '$ownerId',
        leadSource: '$leadSource',
        convertCurrency: '$convertCurrency',
    })
    wiredForecast({ data, error }) {
        if (data) {
            this.forecast = data;
            this.error = undefined;
            this.loading = false;
        } else if (error) {
            this.forecast = undefined;
            this.error = error;
            this.loading = false;
        }
    }

    // Pickers.
    get grainOptions() {
        return GRAIN_OPTIONS;
    }

    get groupOptions() {
        return GROUP_OPTIONS;
    }

    get periodChoices() {
        return periodOptions(this.grain, LOCALE, new Date(), [this.fromPeriod, this.toPeriod]);
    }

    handleFromChange(event) {
        const from = event.detail.value;
        if (isPeriod(from, this.grain)) {
            this.ask({ fromPeriod: from, toPeriod: from > this.toPeriod ? from : this.toPeriod });
        }
    }

    handleToChange(event) {
        const to = event.detail.value;
        if (isPeriod(to, this.grain)) {
            this.ask({ toPeriod: to, fromPeriod: to < this.fromPeriod ? to : this.fromPeriod });
        }
    }

    handleGrainChange(event) {
        const grain = event.detail.value;
        if (GRAINS.includes(grain) && grain !== this.grain) {
            const range = { fromPeriod: this.fromPeriod, toPeriod: this.toPeriod };
            this.ask({ grain, ...convertRange(range, this.grain, grain) });
        }
    }

    handleGroupByChange(event) {
        if (GROUP_LABELS[event.detail.value]) {
            this.ask({ groupBy: event.detail.value });
        }
    }

    handleConvertChange(event) {
        this.ask({ convertCurrency: event.detail.checked === true });
    }

    handleCurrencyChange(event) {
        this.chosenCurrency = event.detail.value;
    }

    /** A rep or lead source in the table, opened by period. */
    handleDrilldown(event) {
        const { groupBy, key, label } = event.detail;
        this.filter = { label: `${GROUP_LABELS[groupBy]}: ${label}` };
        this.ask({
            groupBy: 'period',
            ownerId: groupBy === 'owner' ? key : null,
            leadSource: groupBy === 'leadSource' ? key : null,
        });
    }

    handleClearFilter() {
        this.filter = null;
        this.ask({ ownerId: null, leadSource: null });
    }

    /** Changes the request; the spinner shows until the wire answers it. */
    ask(changes) {
        const changed = Object.keys(changes).filter((name) => this[name] !== changes[name]);
        if (changed.length > 0) {
            Object.assign(this, changes);
            this.loading = true;
        }
    }

    // States.
    get hasError() {
        return !!this.error && !this.loading;
    }

    /** Nothing to keep on screen while loading: at first, and after an error. */
    get isFirstLoad() {
        return this.loading && !this.forecast;
    }

    get isReloading() {
        return this.loading && !!this.forecast;
    }

    get hasForecast() {
        return !!this.forecast && !this.error;
    }

    get isEmpty() {
        return this.hasForecast && this.forecast.groups.length === 0;
    }

    get hasFigures() {
        return this.hasForecast && this.forecast.groups.length > 0;
    }

    // Currencies: one at a time.
    get currencies() {
        const { conversion, currencies } = this.forecast;
        return conversion ? [conversion.currency] : currencies;
    }

    get showCurrencyPicker() {
        return this.currencies.length > 1;
    }

    get currencyOptions() {
        return this.currencies.map((code) => ({ label: code, value: code }));
    }

    get activeCurrency() {
        const available = this.currencies;
        if (available.includes(this.chosenCurrency)) {
            return this.chosenCurrency;
        }
        return available.includes(USER_CURRENCY) ? USER_CURRENCY : available[0];
    }

    get otherCurrencyNote() {
        const others = this.currencies.filter((code) => code !== this.activeCurrency);
        return others.length > 0
            ? `Deals in ${others.join(', ')} are shown separately: amounts in different currencies are never added up.`
            : null;
    }

    get conversionNote() {
        const conversion = this.forecast.conversion;
        if (!conversion) {
            return null;
        }
        const rates = conversion.rates.map((r) => `1 ${conversion.currency} = ${r.rate} ${r.currency}`).join(', ');
        return `Converted to ${conversion.currency} at the rates stored in Salesforce${rates ? `: ${rates}` : ''}.`;
    }

    /** The forecast's groups in the currency on screen. */
    get groups() {
        return this.forecast.groups.filter((g) => g.currency === this.activeCurrency);
    }

    get shownGroupBy() {
        return this.forecast.groupBy;
    }

    get axisLabel() {
        return GROUP_LABELS[this.forecast.groupBy];
    }

    /** By period: every period of the range, zero where no deal closed; otherwise one column per group. */
    get chartColumns() {
        const groups = this.groups;
        if (this.forecast.groupBy !== 'period') {
            return groups;
        }
        const zero = { amount: '0', currency: this.activeCurrency };
        return this.forecast.periods.map((period) => {
            const group = groups.find((g) => g.key === period.key);
            const column = { key: period.key, label: period.label };
            STEPS.forEach((step) => {
                column[step] = group ? group[step] : zero;
            });
            return column;
        });
    }

    get rangeText() {
        const periods = (this.forecast && this.forecast.periods) || [];
        if (periods.length === 0) {
            return '';
        }
        const first = periods[0].label;
        const last = periods[periods.length - 1].label;
        return first === last ? `Deals that close in ${first}` : `Deals that close from ${first} to ${last}`;
    }
}

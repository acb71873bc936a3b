import { LightningElement, api } from 'lwc';
import { percentOf, sumMoney, isZero } from 'c/closeloopFormat';

const BUCKETS = [
    { name: 'current', label: 'Not yet due', tone: 'current' },
    { name: 'days1to30', label: '1–30 days', tone: 'late-1' },
    { name: 'days31to60', label: '31–60 days', tone: 'late-2' },
    { name: 'days61to90', label: '61–90 days', tone: 'late-3' },
    { name: 'over90', label: 'Over 90 days', tone: 'late-4' },
];

/** The open balance by age, as one stacked bar and a legend with the amounts. */
export default class AgingBar extends LightningElement {
    /** {current, days1to30, days31to60, days61to90, over90}, each a money object. */
    @api aging;

    get total() {
        return this.aging ? sumMoney(BUCKETS.map((b) => this.aging[b.name])) : null;
    }

    get buckets() {
        const total = this.total;
        return BUCKETS.filter((b) => this.aging && this.aging[b.name]).map((b) => {
            const money = this.aging[b.name];
            const percent = percentOf(money, total);
            return {
                ...b,
                money,
                percent,
                empty: isZero(money),
                segmentClass: `segment segment_${b.tone}`,
                swatchClass: `swatch segment_${b.tone}`,
                style: `width: ${percent}%`,
            };
        });
    }

    get segments() {
        return this.buckets.filter((b) => b.percent > 0);
    }

    get hasBalance() {
        return this.segments.length > 0;
    }

    get summary() {
        return this.buckets
            .filter((b) => !b.empty)
            .map((b) => `${b.label}: ${b.percent}%`)
            .join(', ');
    }
}

/**
 * Invoice status as reps read it, derived from the ERP's facts — never stored, because "Overdue"
 * depends on today's date. One place for the rule, used by the booking write-back, the sweep and
 * the API.
 */
import Decimal from 'decimal.js';
import type { InvoiceState } from '../erp/connector';
import type { InvoiceStatus } from '../picklists';

export type { InvoiceStatus };

export interface InvoiceFacts {
  state: InvoiceState;
  total: string;
  openAmount: string;
  dueDate: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Which calendar day it is for the business (BUSINESS_TIMEZONE): an invoice due today is not
 * overdue until today has ended there — not in UTC, where "today" may already be tomorrow.
 */
let dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function setBusinessTimeZone(timeZone: string): void {
  dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Today (YYYY-MM-DD) in the business's time zone. */
export function isoDay(now: Date = new Date()): string {
  return dayFormat.format(now); // en-CA writes dates as YYYY-MM-DD
}

export function invoiceStatus(f: InvoiceFacts, today: string): InvoiceStatus {
  if (f.state === 'cancelled') return 'Void';
  if (f.state === 'draft' || f.state === 'validated') return 'Draft';
  const open = new Decimal(f.openAmount);
  if (f.state === 'paid' || open.lte(0)) return 'Paid';
  if (f.dueDate !== null && f.dueDate < today) return 'Overdue';
  return open.lt(f.total) ? 'Partially Paid' : 'Open';
}

/** Whole days past the due date while money is open; 0 otherwise. */
export function daysOverdue(f: InvoiceFacts, today: string): number {
  if (invoiceStatus(f, today) !== 'Overdue' || f.dueDate === null) return 0;
  return Math.round((Date.parse(today) - Date.parse(f.dueDate)) / DAY_MS);
}

/**
 * One status for a deal billed in several invoices: the most urgent fact wins — any overdue
 * money makes it Overdue; all paid is Paid; some money in is Partially Paid.
 */
export function combinedStatus(statuses: InvoiceStatus[]): InvoiceStatus | null {
  const live = statuses.filter((s) => s !== 'Void');
  if (statuses.length === 0) return null;
  if (live.length === 0) return 'Void';
  for (const s of ['Overdue', 'Partially Paid'] as const) if (live.includes(s)) return s;
  if (live.every((s) => s === 'Paid')) return 'Paid';
  if (live.includes('Paid')) return 'Partially Paid';
  if (live.includes('Open')) return 'Open';
  return 'Draft';
}

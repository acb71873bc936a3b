/** The sandbox ERP's rows and how they read as the connector's types. */
import Decimal from 'decimal.js';
import { money } from '../../money';
import type { ErpCustomer, ErpInvoice, ErpInvoiceDetail, ErpPayment, ErpSale } from '../connector';

/** The sandbox company's currency: credit limits are in it. */
export const COMPANY_CURRENCY = 'USD';
export const PAYMENT_TERM_DAYS = 30;

export interface CustomerRow {
  id: number;
  name: string;
  external_ref: string | null;
  country_code: string | null;
  postal_code: string | null;
  credit_limit: string | null;
  credit_hold: boolean;
  [c: string]: unknown;
}

export interface SaleRow {
  id: number;
  reference: string;
  customer_id: number;
  state: ErpSale['state'];
  currency: string;
  untaxed: string;
  invoice_ids: number[] | null;
  [c: string]: unknown;
}

export interface InvoiceRow {
  id: number;
  number: string | null;
  state: 'draft' | 'posted' | 'cancelled';
  customer_id: number;
  sale_id: number;
  sale_reference: string;
  currency: string;
  untaxed: string;
  total: string;
  amount_paid: string;
  invoice_date: string | null;
  due_date: string | null;
  payment_ids: number[] | null;
  [c: string]: unknown;
}

export interface PaymentRow {
  id: number;
  invoice_id: number;
  customer_id: number;
  amount: string;
  currency: string;
  paid_on: string;
  [c: string]: unknown;
}

export const SALE_SELECT = `SELECT s.*, (SELECT array_agg(i.id ORDER BY i.id) FROM sandbox_invoices i WHERE i.sale_id = s.id) AS invoice_ids
  FROM sandbox_sales s`;
export const INVOICE_COLUMNS = `i.*, s.reference AS sale_reference,
  (SELECT array_agg(p.id ORDER BY p.id) FROM sandbox_payments p WHERE p.invoice_id = i.id) AS payment_ids`;
export const INVOICE_FROM = 'sandbox_invoices i JOIN sandbox_sales s ON s.id = i.sale_id';
export const INVOICE_SELECT = `SELECT ${INVOICE_COLUMNS} FROM ${INVOICE_FROM}`;
export const PAYMENT_COLUMNS = 'p.*, i.customer_id';
export const PAYMENT_FROM = 'sandbox_payments p JOIN sandbox_invoices i ON i.id = p.invoice_id';
export const PAYMENT_SELECT = `SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM}`;

export function toCustomer(r: CustomerRow): ErpCustomer {
  return {
    id: String(r.id),
    name: r.name,
    externalRef: r.external_ref,
    countryCode: r.country_code,
    postalCode: r.postal_code,
  };
}

export function toSale(r: SaleRow): ErpSale {
  const untaxed = money(r.untaxed, r.currency);
  return {
    id: String(r.id),
    reference: r.reference,
    customerId: String(r.customer_id),
    state: r.state,
    untaxedAmount: untaxed,
    totalAmount: untaxed, // the sandbox charges no tax
    invoiceIds: (r.invoice_ids ?? []).map(String),
  };
}

export function toInvoice(r: InvoiceRow): ErpInvoiceDetail {
  const toPay = new Decimal(r.total).minus(r.amount_paid);
  const paid = r.state === 'posted' && toPay.lte(0);
  const invoice: ErpInvoice = {
    id: String(r.id),
    number: r.number,
    state: paid ? 'paid' : r.state,
    customerId: String(r.customer_id),
    untaxedAmount: money(r.untaxed, r.currency),
    totalAmount: money(r.total, r.currency),
    amountToPay: money(r.state === 'cancelled' ? 0 : Decimal.max(toPay, 0), r.currency),
    invoiceDate: r.invoice_date,
    dueDate: r.due_date,
  };
  return {
    ...invoice,
    saleId: String(r.sale_id),
    saleReference: r.sale_reference || null,
    paymentIds: (r.payment_ids ?? []).map(String),
  };
}

export function toPayment(r: PaymentRow): ErpPayment {
  return {
    id: String(r.id),
    invoiceId: String(r.invoice_id),
    customerId: String(r.customer_id),
    amount: money(r.amount, r.currency),
    date: r.paid_on,
  };
}

/** Ids are positive integers; anything else is simply not found. */
export function rowId(id: string): number | null {
  return /^\d{1,9}$/.test(id) ? Number(id) : null;
}

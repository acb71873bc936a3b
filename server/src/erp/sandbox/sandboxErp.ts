/**
 * The sandbox ERP: a small but honest ERP kept in the store (tables `sandbox_*`), the embedded
 * default so Closeloop runs with no ERP account. It behaves like a real one, failures included:
 * validation errors, unknown products, quantities its units cannot hold, credit limits that stop
 * a confirmation, and an outage switch that makes it unreachable.
 */
import Decimal from 'decimal.js';
import { BusinessError, TransientError } from '../../errors';
import { money, minorUnits, roundToCurrency, type Money } from '../../money';
import type { Sql, Store } from '../../store/db';
import type {
  ConfirmResult,
  ErpConnector,
  ErpCustomer,
  ErpInvoice,
  ErpProduct,
  ErpSale,
  NewCustomer,
  NewSale,
} from '../connector';
import { creditHoldReason, type Exposure } from './credit';

const PAYMENT_TERM_DAYS = 30;
const MAX_NAME_LENGTH = 120;

interface CustomerRow {
  id: number;
  name: string;
  external_ref: string | null;
  country_code: string | null;
  postal_code: string | null;
  credit_limit: string | null;
  [c: string]: unknown;
}
interface SaleRow {
  id: number;
  reference: string;
  customer_id: number;
  state: ErpSale['state'];
  currency: string;
  untaxed: string;
  invoice_ids: number[] | null;
  [c: string]: unknown;
}
interface InvoiceRow {
  id: number;
  number: string | null;
  state: 'draft' | 'posted' | 'cancelled';
  customer_id: number;
  currency: string;
  untaxed: string;
  total: string;
  amount_paid: string;
  invoice_date: string | null;
  due_date: string | null;
  [c: string]: unknown;
}

const SALE_SELECT = `SELECT s.*, (SELECT array_agg(i.id ORDER BY i.id) FROM sandbox_invoices i WHERE i.sale_id = s.id) AS invoice_ids
                       FROM sandbox_sales s`;

export class SandboxErp implements ErpConnector {
  readonly kind = 'sandbox';
  private available = true;

  constructor(private readonly store: Store) {}

  /** Simulates an outage: every call fails as an unreachable ERP would. */
  setAvailable(available: boolean): void {
    this.available = available;
  }

  async ping(): Promise<void> {
    this.checkAvailable();
    await this.store.query('SELECT 1');
  }

  async getCustomer(id: string): Promise<ErpCustomer | null> {
    this.checkAvailable();
    if (!/^\d{1,9}$/.test(id)) return null;
    const rows = await this.store.query<CustomerRow>('SELECT * FROM sandbox_customers WHERE id = $1', [Number(id)]);
    return rows[0] ? toCustomer(rows[0]) : null;
  }

  async findCustomersByExternalRef(externalRef: string): Promise<ErpCustomer[]> {
    this.checkAvailable();
    const rows = await this.store.query<CustomerRow>(
      'SELECT * FROM sandbox_customers WHERE external_ref = $1 ORDER BY id',
      [externalRef],
    );
    return rows.map(toCustomer);
  }

  async searchCustomersByName(words: string[], limit: number): Promise<ErpCustomer[]> {
    this.checkAvailable();
    const patterns = words.filter((w) => w.length > 0).map((w) => `%${escapeLike(w)}%`);
    if (patterns.length === 0) return [];
    const rows = await this.store.query<CustomerRow>(
      `SELECT * FROM sandbox_customers WHERE name ILIKE ANY ($1::text[]) ORDER BY id LIMIT $2`,
      [patterns, limit],
    );
    return rows.map(toCustomer);
  }

  async createCustomer(c: NewCustomer): Promise<ErpCustomer> {
    this.checkAvailable();
    const name = c.name.trim();
    if (name === '') throw new BusinessError('ERP_VALIDATION', 'The customer name is required.');
    if (name.length > MAX_NAME_LENGTH) {
      throw new BusinessError('ERP_VALIDATION', `The customer name is longer than ${MAX_NAME_LENGTH} characters.`);
    }
    if (c.countryCode && !/^[A-Z]{2}$/.test(c.countryCode)) {
      throw new BusinessError('ERP_VALIDATION', `"${c.countryCode}" is not a country code (ISO 3166, two letters).`);
    }
    const rows = await this.store.query<CustomerRow>(
      `INSERT INTO sandbox_customers (name, external_ref, street, city, postal_code, country_code, phone, website)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [
        name,
        c.externalRef,
        c.street ?? null,
        c.city ?? null,
        c.postalCode ?? null,
        c.countryCode ?? null,
        c.phone ?? null,
        c.website ?? null,
      ],
    );
    return toCustomer(rows[0] as CustomerRow);
  }

  async findProducts(codes: string[]): Promise<ErpProduct[]> {
    this.checkAvailable();
    if (codes.length === 0) return [];
    const rows = await this.store.query<{ id: number; code: string; name: string }>(
      'SELECT id, code, name FROM sandbox_products WHERE code = ANY ($1::text[]) AND active ORDER BY code',
      [codes],
    );
    return rows.map((r) => ({ id: String(r.id), code: r.code, name: r.name }));
  }

  async findSalesByReference(reference: string): Promise<ErpSale[]> {
    this.checkAvailable();
    const rows = await this.store.query<SaleRow>(
      `${SALE_SELECT} WHERE s.reference = $1 AND s.state <> 'cancelled' ORDER BY s.id`,
      [reference],
    );
    return rows.map(toSale);
  }

  async getSale(id: string): Promise<ErpSale> {
    this.checkAvailable();
    return toSale(await this.saleRow(this.store, id));
  }

  async createSale(sale: NewSale): Promise<ErpSale> {
    this.checkAvailable();
    minorUnits(sale.currency); // validates the code
    return this.store.transaction(async (tx) => {
      const customer = await tx.query('SELECT id FROM sandbox_customers WHERE id = $1', [Number(sale.customerId) || 0]);
      if (customer.length === 0)
        throw new BusinessError('ERP_VALIDATION', `Customer ${sale.customerId} does not exist.`);
      const lines = await this.priceLines(tx, sale);
      const untaxed = lines.reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
      const [row] = await tx.query<{ id: number }>(
        `INSERT INTO sandbox_sales (reference, customer_id, state, currency, sale_date, description, untaxed)
         VALUES ($1, $2, 'quotation', $3, $4, $5, $6) RETURNING id`,
        [sale.reference, Number(sale.customerId), sale.currency, sale.saleDate, sale.description, untaxed.toFixed(2)],
      );
      const saleId = (row as { id: number }).id;
      for (const l of lines) {
        await tx.query(
          `INSERT INTO sandbox_sale_lines (sale_id, product_code, description, quantity, unit_price, amount)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [saleId, l.productCode, l.description, l.quantity, l.unitPrice, l.amount],
        );
      }
      return toSale(await this.saleRow(tx, String(saleId)));
    });
  }

  /** Validates each line against the catalogue and computes its amount as the ERP would. */
  private async priceLines(tx: Sql, sale: NewSale) {
    const codes = [...new Set(sale.lines.map((l) => l.productCode))];
    const products = await tx.query<{ code: string; unit_step: string }>(
      'SELECT code, unit_step FROM sandbox_products WHERE code = ANY ($1::text[]) AND active',
      [codes],
    );
    const stepByCode = new Map(products.map((p) => [p.code, new Decimal(p.unit_step)]));
    const unknown = codes.filter((c) => !stepByCode.has(c));
    if (unknown.length > 0) {
      throw new BusinessError(
        'UNKNOWN_PRODUCT_CODE',
        `Unknown product code${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`,
      );
    }
    if (sale.lines.length === 0) throw new BusinessError('ERP_VALIDATION', 'A sale needs at least one line.');
    return sale.lines.map((l) => {
      const quantity = new Decimal(l.quantity);
      const step = stepByCode.get(l.productCode) as Decimal;
      if (quantity.lte(0)) throw new BusinessError('ERP_VALIDATION', `Quantity of ${l.productCode} must be positive.`);
      if (!quantity.mod(step).isZero()) {
        throw new BusinessError(
          'ERP_VALIDATION',
          `Quantity ${l.quantity} of ${l.productCode} is not a multiple of its unit (${step.toString()}).`,
        );
      }
      if (l.unitPrice.currency !== sale.currency) {
        throw new BusinessError(
          'ERP_VALIDATION',
          `Line ${l.productCode} is priced in ${l.unitPrice.currency}, the sale in ${sale.currency}.`,
        );
      }
      const unitPrice = new Decimal(l.unitPrice.amount).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
      const amount = roundToCurrency(quantity.times(unitPrice), sale.currency);
      return { ...l, quantity: quantity.toString(), unitPrice: unitPrice.toString(), amount: amount.toFixed(2) };
    });
  }

  async confirmSale(id: string): Promise<ConfirmResult> {
    this.checkAvailable();
    return this.store.transaction(async (tx) => {
      const sale = await this.saleRow(tx, id, true);
      if (sale.state === 'cancelled') throw new BusinessError('ERP_VALIDATION', `Sale ${id} is cancelled.`);
      if (sale.state !== 'quotation' && sale.state !== 'draft') return { status: 'confirmed', sale: toSale(sale) };
      const hold = await this.creditCheck(tx, sale);
      if (hold) return { status: 'credit_hold', reason: hold };
      await tx.query(`UPDATE sandbox_sales SET state = 'processing' WHERE id = $1`, [sale.id]);
      await tx.query(
        `INSERT INTO sandbox_invoices (sale_id, customer_id, state, currency, untaxed, total)
         VALUES ($1, $2, 'draft', $3, $4, $4)`,
        [sale.id, sale.customer_id, sale.currency, sale.untaxed],
      );
      return { status: 'confirmed', sale: toSale(await this.saleRow(tx, id)) };
    });
  }

  /** What the customer owes plus confirmed-but-unpaid business, against its limit (same currency). */
  private async creditCheck(tx: Sql, sale: SaleRow): Promise<string | null> {
    const [customer] = await tx.query<CustomerRow>('SELECT * FROM sandbox_customers WHERE id = $1 FOR UPDATE', [
      sale.customer_id,
    ]);
    if (!customer || customer.credit_limit === null) return null;
    const [open] = await tx.query<{ owed: string }>(
      `SELECT COALESCE(sum(total - amount_paid), 0) AS owed FROM sandbox_invoices
        WHERE customer_id = $1 AND currency = $2 AND state IN ('draft', 'posted')`,
      [sale.customer_id, sale.currency],
    );
    const exposure: Exposure = {
      customerName: customer.name,
      limit: money(customer.credit_limit, sale.currency),
      owed: money(open?.owed ?? 0, sale.currency),
      order: money(sale.untaxed, sale.currency),
    };
    return creditHoldReason(exposure);
  }

  async cancelSale(id: string): Promise<void> {
    this.checkAvailable();
    await this.store.transaction(async (tx) => {
      const sale = await this.saleRow(tx, id, true);
      if (sale.state === 'cancelled') return;
      if (sale.state !== 'quotation' && sale.state !== 'draft') {
        throw new BusinessError('ERP_VALIDATION', `Sale ${id} is confirmed and can no longer be cancelled.`);
      }
      await tx.query(`UPDATE sandbox_sales SET state = 'cancelled' WHERE id = $1`, [sale.id]);
    });
  }

  async getInvoice(id: string): Promise<ErpInvoice> {
    this.checkAvailable();
    return toInvoice(await this.invoiceRow(this.store, id));
  }

  async postInvoice(id: string): Promise<ErpInvoice> {
    this.checkAvailable();
    return this.store.transaction(async (tx) => {
      const invoice = await this.invoiceRow(tx, id, true);
      if (invoice.state === 'draft') {
        await tx.query(
          `UPDATE sandbox_invoices
              SET state = 'posted', invoice_date = CURRENT_DATE, due_date = CURRENT_DATE + $2::integer,
                  number = 'INV-' || to_char(CURRENT_DATE, 'YYYY') || '-' || lpad(nextval('sandbox_invoice_number')::text, 5, '0'),
                  updated_at = now()
            WHERE id = $1`,
          [invoice.id, PAYMENT_TERM_DAYS],
        );
      } else if (invoice.state === 'cancelled') {
        throw new BusinessError('ERP_VALIDATION', `Invoice ${id} is cancelled.`);
      }
      return toInvoice(await this.invoiceRow(tx, id));
    });
  }

  async close(): Promise<void> {
    // The store belongs to the caller.
  }

  // ---- administration, as a person in the ERP would do it (demo and tests) ----

  async upsertProduct(p: { code: string; name: string; listPrice: Money; unitStep?: string }): Promise<void> {
    await this.store.query(
      `INSERT INTO sandbox_products (code, name, list_price, unit_step) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, list_price = EXCLUDED.list_price,
                                        unit_step = EXCLUDED.unit_step, active = true`,
      [p.code, p.name, p.listPrice.amount, p.unitStep ?? '1'],
    );
  }

  async setCreditLimit(customerId: string, limit: Money | null): Promise<void> {
    const rows = await this.store.query('UPDATE sandbox_customers SET credit_limit = $2 WHERE id = $1 RETURNING id', [
      Number(customerId),
      limit?.amount ?? null,
    ]);
    if (rows.length === 0) throw new BusinessError('ERP_VALIDATION', `Customer ${customerId} does not exist.`);
  }

  private checkAvailable(): void {
    if (!this.available)
      throw new TransientError('ERP_UNAVAILABLE', 'The sandbox ERP is unreachable (simulated outage).');
  }

  private async saleRow(sql: Sql, id: string, forUpdate = false): Promise<SaleRow> {
    const rows = /^\d{1,9}$/.test(id)
      ? await sql.query<SaleRow>(`${SALE_SELECT} WHERE s.id = $1${forUpdate ? ' FOR UPDATE OF s' : ''}`, [Number(id)])
      : [];
    if (!rows[0]) throw new BusinessError('ERP_NOT_FOUND', `Sale ${id} does not exist.`);
    return rows[0];
  }

  private async invoiceRow(sql: Sql, id: string, forUpdate = false): Promise<InvoiceRow> {
    const rows = /^\d{1,9}$/.test(id)
      ? await sql.query<InvoiceRow>(`SELECT * FROM sandbox_invoices WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
          Number(id),
        ])
      : [];
    if (!rows[0]) throw new BusinessError('ERP_NOT_FOUND', `Invoice ${id} does not exist.`);
    return rows[0];
  }
}

function toCustomer(r: CustomerRow): ErpCustomer {
  return {
    id: String(r.id),
    name: r.name,
    externalRef: r.external_ref,
    countryCode: r.country_code,
    postalCode: r.postal_code,
  };
}

function toSale(r: SaleRow): ErpSale {
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

function toInvoice(r: InvoiceRow): ErpInvoice {
  const toPay = new Decimal(r.total).minus(r.amount_paid);
  const paid = r.state === 'posted' && toPay.lte(0);
  return {
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
}

function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

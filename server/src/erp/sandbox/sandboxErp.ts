/**
 * The sandbox ERP: a small but honest ERP kept in the store (tables `sandbox_*`), the embedded
 * default so Closeloop runs with no ERP account. It behaves like a real one, failures included:
 * validation errors, unknown products, quantities its units cannot hold, credit limits and holds
 * that stop a confirmation, and an outage switch that makes it unreachable.
 * Sales live in sales.ts, invoices and payments in invoices.ts, the change feeds in feeds.ts.
 */
import { BusinessError, TransientError } from '../../errors';
import type { Money } from '../../money';
import type { Store } from '../../store/db';
import type {
  ChangePage,
  ConfirmResult,
  ErpConnector,
  ErpCustomer,
  ErpCustomerCredit,
  ErpInvoice,
  ErpInvoiceDetail,
  ErpPayment,
  ErpProduct,
  ErpSale,
  NewCustomer,
  NewSale,
} from '../connector';
import * as feeds from './feeds';
import * as invoices from './invoices';
import { ledgerRead, ledgerWrite } from './ledger';
import { rowId, SALE_SELECT, toCustomer, toInvoice, toSale, type CustomerRow, type SaleRow } from './rows';
import * as sales from './sales';

const MAX_NAME_LENGTH = 120;

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

  // ---- customers and products ----

  async getCustomer(id: string): Promise<ErpCustomer | null> {
    this.checkAvailable();
    const rows = await this.store.query<CustomerRow>('SELECT * FROM sandbox_customers WHERE id = $1', [rowId(id) ?? 0]);
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

  async searchCustomersByName(words: string[], limit: number, match: 'any' | 'all' = 'any'): Promise<ErpCustomer[]> {
    this.checkAvailable();
    const patterns = words.filter((w) => w.length > 0).map((w) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (patterns.length === 0) return [];
    const rows = await this.store.query<CustomerRow>(
      `SELECT * FROM sandbox_customers WHERE name ILIKE ${match === 'all' ? 'ALL' : 'ANY'} ($1::text[]) ORDER BY id LIMIT $2`,
      [patterns, limit],
    );
    return rows.map(toCustomer);
  }

  async createCustomer(c: NewCustomer): Promise<ErpCustomer> {
    this.checkAvailable();
    const name = c.name.trim();
    if (name === '') throw new BusinessError('ERP_VALIDATION', 'The customer name is required.');
    if (name.length > MAX_NAME_LENGTH)
      throw new BusinessError('ERP_VALIDATION', `The customer name is longer than ${MAX_NAME_LENGTH} characters.`);
    if (c.countryCode && !/^[A-Z]{2}$/.test(c.countryCode)) {
      throw new BusinessError('ERP_VALIDATION', `"${c.countryCode}" is not a country code (ISO 3166, two letters).`);
    }
    const [row] = await ledgerWrite(this.store, (tx) =>
      tx.query<CustomerRow>(
        `INSERT INTO sandbox_customers (name, external_ref, street, city, postal_code, country_code, phone, website, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) RETURNING *`,
        [
          name,
          c.externalRef || null,
          c.street ?? null,
          c.city ?? null,
          c.postalCode ?? null,
          c.countryCode ?? null,
          c.phone ?? null,
          c.website ?? null,
        ],
      ),
    );
    return toCustomer(row as CustomerRow);
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

  // ---- sales and invoices ----

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
    return toSale(await sales.saleRow(this.store, id));
  }

  createSale(sale: NewSale): Promise<ErpSale> {
    this.checkAvailable();
    return ledgerWrite(this.store, (tx) => sales.createSale(tx, sale));
  }

  confirmSale(id: string): Promise<ConfirmResult> {
    this.checkAvailable();
    return ledgerWrite(this.store, (tx) => sales.confirmSale(tx, id));
  }

  async cancelSale(id: string): Promise<void> {
    this.checkAvailable();
    await ledgerWrite(this.store, (tx) => sales.cancelSale(tx, id));
  }

  async getInvoice(id: string): Promise<ErpInvoice> {
    this.checkAvailable();
    return toInvoice(await invoices.invoiceRow(this.store, id));
  }

  postInvoice(id: string): Promise<ErpInvoice> {
    this.checkAvailable();
    return ledgerWrite(this.store, (tx) => invoices.postInvoice(tx, id));
  }

  // ---- financial reads ----

  invoicesChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpInvoiceDetail>> {
    this.checkAvailable();
    return ledgerRead(this.store, (tx) => feeds.invoicesChangedSince(tx, cursor, limit));
  }

  paymentsChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpPayment>> {
    this.checkAvailable();
    return ledgerRead(this.store, (tx) => feeds.paymentsChangedSince(tx, cursor, limit));
  }

  creditChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpCustomerCredit>> {
    this.checkAvailable();
    return ledgerRead(this.store, (tx) => feeds.creditChangedSince(tx, cursor, limit));
  }

  customerActivity(customerId: string) {
    this.checkAvailable();
    return ledgerRead(this.store, (tx) => feeds.customerActivity(tx, customerId));
  }

  async close(): Promise<void> {
    // The store belongs to the caller.
  }

  // ---- what a person in the ERP does (the demo and tests use these) ----

  async upsertProduct(p: { code: string; name: string; listPrice: Money; unitStep?: string }): Promise<void> {
    await this.store.query(
      `INSERT INTO sandbox_products (code, name, list_price, unit_step) VALUES ($1, $2, $3, $4)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, list_price = EXCLUDED.list_price,
                                        unit_step = EXCLUDED.unit_step, active = true`,
      [p.code, p.name, p.listPrice.amount, p.unitStep ?? '1'],
    );
  }

  /** Finance sets (or with null removes) the customer's credit limit, in the company currency. */
  setCreditLimit(customerId: string, limit: Money | null): Promise<void> {
    return this.updateCustomer(customerId, 'credit_limit', limit?.amount ?? null);
  }

  /** Finance puts the customer on hold (no new orders) or releases it. */
  setCreditHold(customerId: string, hold: boolean): Promise<void> {
    return this.updateCustomer(customerId, 'credit_hold', hold);
  }

  recordPayment(invoiceId: string, amount?: Money, date?: string): Promise<void> {
    return ledgerWrite(this.store, (tx) => invoices.recordPayment(tx, invoiceId, amount, date));
  }

  reversePayment(invoiceId: string): Promise<void> {
    return ledgerWrite(this.store, (tx) => invoices.reversePayment(tx, invoiceId));
  }

  /** Finance posts a draft invoice dated `invoiceDate` (YYYY-MM-DD) instead of today, e.g. loading past years. */
  postInvoiceOn(invoiceId: string, invoiceDate: string): Promise<ErpInvoice> {
    return ledgerWrite(this.store, (tx) => invoices.postInvoice(tx, invoiceId, invoiceDate));
  }

  /** Finance moves a posted invoice's due date (YYYY-MM-DD), e.g. into the past: the next sweep pulls it. */
  setInvoiceDueDate(invoiceId: string, dueDate: string): Promise<void> {
    return ledgerWrite(this.store, (tx) => invoices.setDueDate(tx, invoiceId, dueDate));
  }

  issueInvoice(customerId: string, amount: Money, invoiceDate: string): Promise<string> {
    return ledgerWrite(this.store, (tx) => invoices.issueInvoice(tx, customerId, amount, invoiceDate));
  }

  private async updateCustomer(
    customerId: string,
    column: 'credit_limit' | 'credit_hold',
    value: string | boolean | null,
  ) {
    const rows = await ledgerWrite(this.store, (tx) =>
      tx.query(
        `UPDATE sandbox_customers SET ${column} = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING id`,
        [rowId(customerId) ?? 0, value],
      ),
    );
    if (rows.length === 0) throw new BusinessError('ERP_VALIDATION', `Customer ${customerId} does not exist.`);
  }

  private checkAvailable(): void {
    if (!this.available)
      throw new TransientError('ERP_UNAVAILABLE', 'The sandbox ERP is unreachable (simulated outage).');
  }
}

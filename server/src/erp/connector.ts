/**
 * The one interface every ERP sits behind. The booking flow speaks only this; each ERP lives in
 * its own folder (`erp/tryton`, `erp/sandbox`) and turns these calls into its own API.
 *
 * Conventions for every connector:
 * - ids are the ERP's own ids as text; money is `Money` (decimal string + ISO currency);
 *   dates are ISO `YYYY-MM-DD` strings as the ERP records them.
 * - A call that cannot succeed because of the data (validation, unknown record) throws
 *   `BusinessError` with the ERP's own message; an unreachable or failing ERP throws
 *   `TransientError` (code `ERP_UNAVAILABLE` or `ERP_ERROR`). See `errors.ts`.
 * - Credit limits are a normal outcome of `confirmSale`, not an error.
 */
import type { Money } from '../money';

export interface ErpCustomer {
  id: string;
  name: string;
  /** The Salesforce Account Id the customer was created for, when Closeloop created it. */
  externalRef: string | null;
  /** ISO 3166 alpha-2 country of the main address, when known. */
  countryCode: string | null;
  postalCode: string | null;
}

export interface NewCustomer {
  name: string;
  /** The Salesforce Account Id, stored on the ERP customer so a crashed run finds it again. */
  externalRef: string;
  street?: string | null;
  city?: string | null;
  postalCode?: string | null;
  /** ISO 3166 alpha-2. */
  countryCode?: string | null;
  phone?: string | null;
  website?: string | null;
}

export interface ErpProduct {
  id: string;
  /** The product's code, which Salesforce holds as Product2.ProductCode. */
  code: string;
  name: string;
}

export interface NewSaleLine {
  productCode: string;
  description: string;
  /** Decimal string, > 0. */
  quantity: string;
  /** Net unit price (after the opportunity line's discount), in the sale's currency. */
  unitPrice: Money;
}

export interface NewSale {
  /** The Salesforce Opportunity Id (18 chars): the idempotency key, stored on the ERP sale. */
  reference: string;
  customerId: string;
  currency: string;
  /** YYYY-MM-DD. */
  saleDate: string;
  description: string;
  lines: NewSaleLine[];
}

/**
 * Where a sale is in the ERP's workflow. Connectors map their own states onto these:
 * draft → quotation → confirmed → processing (invoiced/shipping) → done, or cancelled.
 */
export type SaleState = 'draft' | 'quotation' | 'confirmed' | 'processing' | 'done' | 'cancelled';

export interface ErpSale {
  id: string;
  reference: string;
  customerId: string;
  state: SaleState;
  untaxedAmount: Money;
  totalAmount: Money;
  /** The sale's invoices, oldest first (empty until the sale is confirmed). */
  invoiceIds: string[];
}

export type InvoiceState = 'draft' | 'validated' | 'posted' | 'paid' | 'cancelled';

export interface ErpInvoice {
  id: string;
  /** The number the customer sees; null until the invoice is posted. */
  number: string | null;
  state: InvoiceState;
  customerId: string;
  untaxedAmount: Money;
  totalAmount: Money;
  /** What is still to be paid (0 when paid). */
  amountToPay: Money;
  invoiceDate: string | null;
  dueDate: string | null;
}

/** An invoice as the financial read model keeps it: with the sale (and so the opportunity) it bills. */
export interface ErpInvoiceDetail extends ErpInvoice {
  saleId: string | null;
  /** The reference of the sale it bills: the Opportunity Id when Closeloop booked it. */
  saleReference: string | null;
  /**
   * The payments applied to this invoice now. A payment removed or reversed in the ERP drops out
   * of this list (and the invoice counts as changed), so the read model can forget it.
   */
  paymentIds: string[];
}

/** A payment received against one invoice (a part payment is one payment). */
export interface ErpPayment {
  id: string;
  invoiceId: string;
  customerId: string;
  amount: Money;
  /** YYYY-MM-DD, the date the ERP records for the payment. */
  date: string;
}

/** What the ERP says about a customer's credit. */
export interface ErpCustomerCredit {
  customerId: string;
  /** Null when the customer has no limit. */
  creditLimit: Money | null;
  /** True when the ERP would refuse new orders (a hold, or the limit already used up). */
  creditHold: boolean;
}

/**
 * One page of changes after a cursor. Cursors are opaque to callers and stored as given.
 * A connector may hand back an item it already returned (callers upsert), but never skips one:
 * whatever changes after a page was read shows up on a later page.
 */
export interface ChangePage<T> {
  items: T[];
  /** Where the next read starts; store it once the items are safely kept. */
  cursor: string | null;
  /** True when more changes were waiting than `limit` allowed. */
  more: boolean;
}

export type ConfirmResult =
  | { status: 'confirmed'; sale: ErpSale }
  /** The ERP refused to confirm because of the customer's credit limit; the sale stays unconfirmed. */
  | { status: 'credit_hold'; reason: string };

export interface ErpConnector {
  /** `tryton`, `sandbox`, … — as in ERP_KIND. */
  readonly kind: string;

  /** Resolves when the ERP answers and the configured login works; throws TransientError if not. */
  ping(): Promise<void>;

  getCustomer(id: string): Promise<ErpCustomer | null>;
  /** Customers created for this Salesforce Account Id (normally zero or one). */
  findCustomersByExternalRef(externalRef: string): Promise<ErpCustomer[]>;
  /**
   * Customers whose name contains any (default) or all of the given words, case-insensitive, at
   * most `limit`. The caller does the scoring; this only narrows the search on the ERP side.
   */
  searchCustomersByName(words: string[], limit: number, match?: 'any' | 'all'): Promise<ErpCustomer[]>;
  createCustomer(customer: NewCustomer): Promise<ErpCustomer>;

  /** The products with these codes that exist and are sellable; unknown codes are simply absent. */
  findProducts(codes: string[]): Promise<ErpProduct[]>;

  /** Non-cancelled sales carrying this reference, oldest first. */
  findSalesByReference(reference: string): Promise<ErpSale[]>;
  getSale(id: string): Promise<ErpSale>;
  /** Creates the sale with its lines as a quotation (submitted, not yet confirmed). */
  createSale(sale: NewSale): Promise<ErpSale>;
  /** Confirms a quotation; once confirmed the ERP creates its invoice. Confirming twice is harmless. */
  confirmSale(id: string): Promise<ConfirmResult>;
  /** Cancels a sale that has not been confirmed (used when its totals do not reconcile). */
  cancelSale(id: string): Promise<void>;

  getInvoice(id: string): Promise<ErpInvoice>;
  /** Posts a draft invoice (assigns its number, makes it payable). Posting twice is harmless. */
  postInvoice(id: string): Promise<ErpInvoice>;

  // ---- financial reads (the financial pulse) ----

  /** Invoices created or changed after `cursor` (null: from the beginning), in change order. */
  invoicesChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpInvoiceDetail>>;
  /** Payments recorded or changed after `cursor`, in change order. */
  paymentsChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpPayment>>;
  /** Customers whose credit (limit, hold) changed after `cursor`. */
  creditChangedSince(cursor: string | null, limit: number): Promise<ChangePage<ErpCustomerCredit>>;
  /** Everything about one customer, live (the pulse's refresh button): its invoices, payments, credit. */
  customerActivity(customerId: string): Promise<{
    invoices: ErpInvoiceDetail[];
    payments: ErpPayment[];
    credit: ErpCustomerCredit;
  }>;

  /** Releases sockets and sessions. */
  close(): Promise<void>;
}

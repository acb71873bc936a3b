/**
 * Fields the platform computes, as a real org does:
 * - Opportunity: IsClosed / IsWon / default Probability and ForecastCategoryName from the stage;
 *   Amount is the sum of the line items' TotalPrice whenever there are lines (read-only then:
 *   a written Amount is ignored); ExpectedRevenue = Amount × Probability.
 * - OpportunityLineItem: TotalPrice = Quantity × UnitPrice × (1 − Discount/100), half-up to the
 *   cent, in exact decimal arithmetic; ListPrice, Product2Id and ProductCode from the price book
 *   entry / product; Name = opportunity name + product name.
 * - User.Name, PricebookEntry.Name / ProductCode.
 */
import Decimal from 'decimal.js';
import { recordError } from './errors';
import { OPPORTUNITY_STAGES, type Row, type Value } from './schema';
import type { Store } from './store';

/** Enough digits that no intermediate product of 18-digit currency values is ever rounded. */
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

type MutableRow = Record<string, Value>;

export function money(value: Decimal.Value): number {
  return new Exact(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

export function lineTotal(quantity: Value, unitPrice: Value, discount: Value): number | null {
  if (typeof quantity !== 'number' || typeof unitPrice !== 'number') return null;
  const pct = typeof discount === 'number' ? discount : 0;
  const factor = new Exact(100).minus(new Exact(pct)).div(100);
  return money(new Exact(quantity).times(new Exact(unitPrice)).times(factor));
}

function expectedRevenue(amount: Value, probability: Value): number | null {
  if (typeof amount !== 'number' || typeof probability !== 'number') return null;
  return money(new Exact(amount).times(new Exact(probability)).div(100));
}

function liveChildren(store: Store, type: string, field: string, parentId: string): Row[] {
  return store.children(type, field, parentId).filter((r) => r.IsDeleted !== true);
}

export interface DeriveInput {
  store: Store;
  row: MutableRow;
  previous: Row | undefined;
  /** Fields the write named explicitly. */
  explicit: ReadonlySet<string>;
  /** In-process seeding may set read-only fields (e.g. a mismatching Amount) on purpose. */
  force: boolean;
}

export function deriveOpportunity({ store, row, previous, explicit, force }: DeriveInput): void {
  if (!previous || previous.StageName !== row.StageName) {
    const stage = OPPORTUNITY_STAGES.find((s) => s.name === row.StageName);
    if (stage) {
      if (!(force && explicit.has('IsClosed'))) row.IsClosed = stage.closed;
      if (!(force && explicit.has('IsWon'))) row.IsWon = stage.won;
      if (!explicit.has('Probability')) row.Probability = stage.probability;
      if (!explicit.has('ForecastCategoryName')) row.ForecastCategoryName = stage.forecastCategory;
    }
  }
  const hasLines =
    previous !== undefined && liveChildren(store, 'OpportunityLineItem', 'OpportunityId', String(row.Id)).length > 0;
  row.HasOpportunityLineItem = hasLines;
  // With products the amount belongs to the roll-up: a written Amount is ignored.
  if (hasLines && previous && !(force && explicit.has('Amount'))) row.Amount = previous.Amount ?? null;
  if (!(force && explicit.has('ExpectedRevenue')))
    row.ExpectedRevenue = expectedRevenue(row.Amount ?? null, row.Probability ?? null);
}

/** Recomputes an opportunity's Amount from its live line items (after any line write). */
export function rollUpOpportunity(store: Store, opportunityId: string, stamp: string): void {
  const opp = store.get('Opportunity', opportunityId);
  if (!opp || opp.IsDeleted === true) return;
  const lines = liveChildren(store, 'OpportunityLineItem', 'OpportunityId', opportunityId);
  const sum = lines.reduce(
    (acc, l) => acc.plus(new Exact(typeof l.TotalPrice === 'number' ? l.TotalPrice : 0)),
    new Exact(0),
  );
  const amount = money(sum);
  store.put('Opportunity', {
    ...opp,
    Amount: amount,
    HasOpportunityLineItem: lines.length > 0,
    ExpectedRevenue: expectedRevenue(amount, opp.Probability ?? null),
    LastModifiedDate: stamp,
    SystemModstamp: stamp,
  });
}

function pricebookEntryFor(store: Store, productId: string, opportunity: Row): Row | undefined {
  const wanted = typeof opportunity.Pricebook2Id === 'string' ? opportunity.Pricebook2Id : undefined;
  const entries = liveChildren(store, 'PricebookEntry', 'Product2Id', productId);
  return entries.find((e) => {
    if (wanted) return e.Pricebook2Id === wanted;
    const book = typeof e.Pricebook2Id === 'string' ? store.get('Pricebook2', e.Pricebook2Id) : undefined;
    return book?.IsStandard === true;
  });
}

/** Links a new line to its product and price book entry, as the API does on insert. */
function linkProduct(store: Store, row: MutableRow, opportunity: Row): void {
  if (typeof row.PricebookEntryId === 'string') {
    const entry = store.get('PricebookEntry', row.PricebookEntryId);
    if (typeof row.Product2Id === 'string' && entry && entry.Product2Id !== row.Product2Id) {
      throw recordError(
        'FIELD_INTEGRITY_EXCEPTION',
        'field integrity exception: PricebookEntryId, Product2Id (pricebook entry is for a different product)',
        ['PricebookEntryId'],
      );
    }
    row.Product2Id = entry?.Product2Id ?? null;
    row.ListPrice = entry?.UnitPrice ?? null;
    return;
  }
  if (typeof row.Product2Id !== 'string') {
    throw recordError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [PricebookEntryId]', [
      'PricebookEntryId',
    ]);
  }
  const entry = pricebookEntryFor(store, row.Product2Id, opportunity);
  row.PricebookEntryId = entry ? String(entry.Id) : null;
  row.ListPrice = entry?.UnitPrice ?? null;
}

export function deriveLineItem({ store, row, previous, explicit, force }: DeriveInput): void {
  const opportunity = typeof row.OpportunityId === 'string' ? store.get('Opportunity', row.OpportunityId) : undefined;
  if (!opportunity) return; // the reference check reports it
  if (!previous) linkProduct(store, row, opportunity);
  const product = typeof row.Product2Id === 'string' ? store.get('Product2', row.Product2Id) : undefined;
  row.ProductCode = product?.ProductCode ?? null;
  row.Name = [opportunity.Name, product?.Name].filter((p) => typeof p === 'string').join(' ');
  if ('CurrencyIsoCode' in row) row.CurrencyIsoCode = opportunity.CurrencyIsoCode ?? null;
  if (row.Quantity === 0) {
    throw recordError('FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: Quantity (quantity must be non-zero)', [
      'Quantity',
    ]);
  }
  if (!(force && explicit.has('TotalPrice')))
    row.TotalPrice = lineTotal(row.Quantity ?? null, row.UnitPrice ?? null, row.Discount ?? null);
}

export function deriveUser({ row }: DeriveInput): void {
  row.Name = [row.FirstName, row.LastName].filter((p) => typeof p === 'string' && p !== '').join(' ');
}

export function derivePricebookEntry({ store, row }: DeriveInput): void {
  const product = typeof row.Product2Id === 'string' ? store.get('Product2', row.Product2Id) : undefined;
  row.Name = product?.Name ?? null;
  row.ProductCode = product?.ProductCode ?? null;
}

export const DERIVERS: Record<string, (input: DeriveInput) => void> = {
  Opportunity: deriveOpportunity,
  OpportunityLineItem: deriveLineItem,
  User: deriveUser,
  PricebookEntry: derivePricebookEntry,
};

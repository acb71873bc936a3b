/**
 * The emulated org: schema, records, write rules and SOQL, shared by the HTTP routes and by the
 * in-process seeding API (`LocalSalesforce.org`). A fresh org holds its Organization record, one
 * integration user (owner and "last modified by" of everything written) and the standard price
 * book.
 */
import { Dml, type ValidationRule, type WriteOptions } from './dml';
import { requestError, unsupportedTypeMessage } from './errors';
import { IdFactory, KEY_PREFIX, normalizeId } from './ids';
import { plainRecord } from './records';
import { buildSchema, type ObjectDef, type Row, type Schema, type Value } from './schema';
import { seedOrg } from './seed';

/** Plausible rates for a fresh multi-currency org (units of each currency per US dollar). */
const SAMPLE_RATES_PER_USD: Record<string, number> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  CAD: 1.36,
  AUD: 1.52,
  JPY: 150,
  CHF: 0.88,
};
import { runQuery, type QueryOutput } from './soql/engine';
import { Store } from './store';
import { systemStamp } from './values';

export interface OrgSettings {
  multiCurrency: boolean;
  defaultCurrency: string;
  currencies: readonly string[];
  forceAppDir: string;
  clock: () => Date;
}

/** A record handed to in-process callers: canonical field names to wire values. */
export type SObjectRecord = Record<string, Value>;

/** The in-process view of the org, for seeding and inspecting it from tests. */
export interface LocalOrg {
  readonly orgId: string;
  /** The integration user: owner and modifier of records written through the emulator. */
  readonly userId: string;
  readonly standardPricebookId: string;
  /** Creates a record with the API's checks (throws SalesforceError); returns its 18-character id. */
  insert(type: string, fields: Record<string, unknown>, options?: WriteOptions): string;
  update(type: string, id: string, fields: Record<string, unknown>, options?: WriteOptions): void;
  /** A copy of a live record (undefined when missing or deleted); 15- or 18-character id. */
  get(type: string, id: string): SObjectRecord | undefined;
  /** Copies of every live record of a type, in Id order (deleted ones too when asked). */
  all(type: string, options?: { includeDeleted?: boolean }): SObjectRecord[];
  /** Soft delete with the API's cascades (the record stays visible to queryAll). */
  delete(type: string, id: string): void;
  /** SOQL without HTTP (no API call counted). */
  query(soql: string): QueryOutput;
  /** Loads a JSON fixture (see seed.ts); returns the ids of records that had a `$key`. */
  seed(fixture: unknown): Record<string, string>;
  /** Back to a fresh org: no records but the defaults, no validation rules. */
  reset(): void;
}

export class Org {
  readonly schema: Schema;
  readonly store: Store;
  readonly dml: Dml;
  readonly ids = new IdFactory();
  readonly rules = new Map<string, ValidationRule[]>();
  readonly orgId: string;
  readonly userId: string;
  readonly standardPricebookId: string;

  constructor(readonly settings: OrgSettings) {
    this.schema = buildSchema(settings);
    this.store = new Store(this.schema);
    this.orgId = this.ids.next(KEY_PREFIX.Organization);
    this.userId = this.ids.next(KEY_PREFIX.User);
    this.standardPricebookId = this.ids.next(KEY_PREFIX.Pricebook2);
    this.dml = new Dml({
      schema: this.schema,
      store: this.store,
      ids: this.ids,
      clock: settings.clock,
      userId: () => this.userId,
      rules: this.rules,
    });
    this.reset();
  }

  /** The object named in a request, or INVALID_TYPE (what the API says for unknown objects). */
  object(type: string): ObjectDef {
    const object = this.schema.object(type);
    if (!object) throw requestError(400, 'INVALID_TYPE', unsupportedTypeMessage(type));
    return object;
  }

  reset(): void {
    this.store.clear();
    this.rules.clear();
    this.putDefault('Organization', this.orgId, {
      Name: 'Closeloop Local',
      DefaultCurrencyIsoCode: this.settings.defaultCurrency,
      IsSandbox: false,
      OrganizationType: 'Developer Edition',
    });
    this.putDefault('User', this.userId, {
      Username: 'integration@closeloop.local',
      FirstName: 'Closeloop',
      LastName: 'Integration',
      Name: 'Closeloop Integration',
      Email: 'integration@closeloop.local',
      Alias: 'integ',
      IsActive: true,
    });
    this.putDefault('Pricebook2', this.standardPricebookId, {
      Name: 'Standard Price Book',
      IsActive: true,
      IsStandard: true,
    });
    if (this.settings.multiCurrency) this.putCurrencyTypes();
  }

  /** A multi-currency org's currencies, each with a rate as an admin would have entered it. */
  private putCurrencyTypes(): void {
    const { defaultCurrency, currencies } = this.settings;
    const perUsd = (code: string) => SAMPLE_RATES_PER_USD[code] ?? 1;
    for (const code of currencies) {
      const rate = code === defaultCurrency ? 1 : Number((perUsd(code) / perUsd(defaultCurrency)).toFixed(6));
      this.putDefault('CurrencyType', this.ids.next(KEY_PREFIX.CurrencyType), {
        IsoCode: code,
        ConversionRate: rate,
        DecimalPlaces: code === 'JPY' ? 0 : 2,
        IsActive: true,
        IsCorporate: code === defaultCurrency,
      });
    }
  }

  /** Records a fresh org is born with; written directly because the API cannot create them. */
  private putDefault(type: string, id: string, fields: Record<string, Value>): void {
    const stamp = systemStamp(this.settings.clock());
    const row: Record<string, Value> = {};
    for (const f of this.object(type).fields) row[f.name] = f.defaultValue;
    Object.assign(row, fields, {
      Id: id,
      IsDeleted: false,
      CreatedDate: stamp,
      CreatedById: this.userId,
      LastModifiedDate: stamp,
      LastModifiedById: this.userId,
      SystemModstamp: stamp,
    });
    this.store.put(type, row);
  }

  /** A live record by 15- or 18-character id. */
  find(type: string, id: string): Row | undefined {
    const id18 = normalizeId(id);
    const row = id18 ? this.store.get(this.object(type).name, id18) : undefined;
    return row && row.IsDeleted !== true ? row : undefined;
  }

  insert(type: string, fields: Record<string, unknown>, options: WriteOptions = {}): string {
    const object = this.object(type);
    const parsed = this.dml.parse(object, fields);
    return this.transaction(() => ({ result: this.dml.insert(parsed, options), commit: true }));
  }

  update(type: string, id: string, fields: Record<string, unknown>, options: WriteOptions = {}): void {
    const object = this.object(type);
    const id18 = normalizeId(id);
    if (!id18) throw requestError(400, 'MALFORMED_ID', `malformed id ${id}`);
    const parsed = this.dml.parse(object, fields);
    this.transaction(() => ({ result: this.dml.update(parsed, id18, options), commit: true }));
  }

  delete(type: string, id: string): void {
    const object = this.object(type);
    const id18 = normalizeId(id);
    if (!id18) throw requestError(400, 'MALFORMED_ID', `malformed id ${id}`);
    this.transaction(() => ({ result: this.dml.delete(object, id18), commit: true }));
  }

  get(type: string, id: string): SObjectRecord | undefined {
    const row = this.find(type, id);
    return row ? plainRecord(row) : undefined;
  }

  all(type: string, options: { includeDeleted?: boolean } = {}): SObjectRecord[] {
    const out: SObjectRecord[] = [];
    for (const row of this.store.rows(this.object(type).name)) {
      if (options.includeDeleted === true || row.IsDeleted !== true) out.push(plainRecord(row));
    }
    return out;
  }

  query(soql: string, version = '66.0', includeDeleted = false): QueryOutput {
    return runQuery({
      schema: this.schema,
      store: this.store,
      soql,
      version,
      now: this.settings.clock(),
      includeDeleted,
    });
  }

  seed(fixture: unknown): Record<string, string> {
    return seedOrg(this, fixture);
  }

  /** Adds a validation rule; the returned function removes it again. */
  addRule(type: string, rule: ValidationRule): () => void {
    const name = this.object(type).name;
    const list = this.rules.get(name) ?? [];
    list.push(rule);
    this.rules.set(name, list);
    return () => {
      const current = this.rules.get(name) ?? [];
      this.rules.set(
        name,
        current.filter((r) => r !== rule),
      );
    };
  }

  /** Runs `work` so that nothing it wrote survives if it throws or asks for a rollback. */
  transaction<T>(work: () => { result: T; commit: boolean }): T {
    this.store.begin();
    try {
      const { result, commit } = work();
      if (commit) this.store.commit();
      else this.store.rollback();
      return result;
    } catch (e) {
      this.store.rollback();
      throw e;
    }
  }
}

/**
 * Customers are Tryton parties (`party.party`). The Salesforce Account Id is stored as a party
 * identifier with no type (`party.identifier`, code = the id), so a crashed run finds the party it
 * created; the main address carries postal code and country.
 */
import { z } from 'zod';
import type { ErpCustomer, NewCustomer } from '../connector';
import { BusinessError } from '../../errors';
import { createOne, likeContains, OptionalText, related, searchRead, toTrytonId, type Domain } from './records';
import type { TrytonRpc } from './rpc';

const PARTY_FIELDS = [
  'name',
  'identifiers.code',
  'identifiers.type',
  'addresses.postal_code',
  'addresses.country.code',
];

const PartyRow = z.object({
  id: z.number().int(),
  name: z.string(),
  'identifiers.': z.array(z.object({ code: z.string(), type: OptionalText })),
  'addresses.': z.array(z.object({ postal_code: OptionalText, 'country.': related(z.object({ code: OptionalText })) })),
});
type PartyRow = z.infer<typeof PartyRow>;

const CountryRow = z.object({ id: z.number().int() });

/** SQLite may refuse two parties created at the same moment (same sequence code): retry those. */
const PARTY_CODE_CLASH = /code on party must be unique/i;
const CREATE_ATTEMPTS = 3;

export class Customers {
  private readonly countryIds = new Map<string, number | null>();
  /** Parties are created one at a time per connector (see PARTY_CODE_CLASH). */
  private createQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly rpc: TrytonRpc) {}

  async get(id: string): Promise<ErpCustomer | null> {
    const partyId = toTrytonId(id);
    if (partyId === null) return null;
    const [row] = await this.read([['id', '=', partyId]]);
    return row ?? null;
  }

  async findByExternalRef(externalRef: string): Promise<ErpCustomer[]> {
    // `where` keeps both conditions on the same identifier.
    return this.read([
      [
        'identifiers',
        'where',
        [
          ['code', '=', externalRef],
          ['type', '=', null],
        ],
      ],
    ]);
  }

  async searchByName(words: string[], limit: number, match: 'any' | 'all' = 'any'): Promise<ErpCustomer[]> {
    const clauses = words
      .map((w) => w.trim())
      .filter((w) => w !== '')
      .map((w) => ['name', 'ilike', likeContains(w)]);
    if (clauses.length === 0 || limit <= 0) return [];
    // A Tryton domain list is an AND by default; 'OR' as its first element makes it an OR.
    return this.read(match === 'any' ? ['OR', ...clauses] : clauses, limit);
  }

  async create(customer: NewCustomer): Promise<ErpCustomer> {
    const values = await this.partyValues(customer);
    const created = this.createQueue.then(() => this.createWithRetry(values));
    this.createQueue = created.catch(() => undefined);
    const id = await created;
    const party = await this.get(String(id));
    if (!party) throw new BusinessError('ERP_VALIDATION', `Tryton did not keep the new party ${id}`);
    return party;
  }

  private async createWithRetry(values: Record<string, unknown>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await createOne(this.rpc, 'party.party', values);
      } catch (e) {
        const clash = e instanceof BusinessError && PARTY_CODE_CLASH.test(e.message);
        if (!clash || attempt >= CREATE_ATTEMPTS) throw e;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async partyValues(customer: NewCustomer): Promise<Record<string, unknown>> {
    const address = {
      street: customer.street ?? null,
      city: customer.city ?? null,
      postal_code: customer.postalCode ?? null,
      country: customer.countryCode ? await this.countryId(customer.countryCode) : null,
    };
    const contacts = [
      ...(customer.phone ? [{ type: 'phone', value: customer.phone }] : []),
      ...(customer.website ? [{ type: 'website', value: customer.website }] : []),
    ];
    return {
      name: customer.name,
      identifiers: [['create', [{ type: null, code: customer.externalRef }]]],
      addresses: [['create', [address]]],
      ...(contacts.length > 0 ? { contact_mechanisms: [['create', contacts]] } : {}),
    };
  }

  /**
   * The country's id, or null when Tryton does not know the code: Debian's Tryton ships without
   * countries (setup_database.py loads them when python3-pycountry is there), and a missing
   * country must not stop a booking.
   */
  private async countryId(code: string): Promise<number | null> {
    const key = code.trim().toUpperCase();
    if (!this.countryIds.has(key)) {
      const [row] = await searchRead(this.rpc, 'country.country', [['code', '=', key]], ['id'], CountryRow, {
        limit: 1,
      });
      this.countryIds.set(key, row?.id ?? null);
    }
    return this.countryIds.get(key) ?? null;
  }

  private async read(domain: Domain, limit?: number): Promise<ErpCustomer[]> {
    const rows = await searchRead(this.rpc, 'party.party', domain, PARTY_FIELDS, PartyRow, { limit });
    return rows.map(toCustomer);
  }
}

function toCustomer(row: PartyRow): ErpCustomer {
  const ref = row['identifiers.'].find((i) => i.type === null);
  const address = row['addresses.'][0];
  return {
    id: String(row.id),
    name: row.name,
    externalRef: ref?.code ?? null,
    countryCode: address?.['country.']?.code ?? null,
    postalCode: address?.postal_code ?? null,
  };
}

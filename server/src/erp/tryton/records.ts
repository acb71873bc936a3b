/** Small helpers shared by the Tryton connector modules: reading records and checking ids. */
import { z } from 'zod';
import { Decimal } from '../../money';
import { parseAnswer, type TrytonRpc } from './rpc';

/** A Tryton domain, e.g. `[['reference', '=', ref], ['state', '!=', 'cancelled']]`. */
export type Domain = unknown[];

export interface ReadOptions {
  limit?: number | null;
  /** e.g. `[['id', 'ASC']]`. */
  order?: Array<[string, 'ASC' | 'DESC']>;
}

/**
 * `search_read` validated with a zod schema per row. Dotted field names read related records in
 * the same call: `addresses.postal_code` comes back as `{"addresses.": [{postal_code, id}]}`.
 */
export async function searchRead<T>(
  rpc: TrytonRpc,
  model: string,
  domain: Domain,
  fields: string[],
  row: z.ZodType<T>,
  options: ReadOptions = {},
): Promise<T[]> {
  const order = options.order ?? [['id', 'ASC']];
  const result = await rpc.model(model, 'search_read', domain, 0, options.limit ?? null, order, fields);
  return parseAnswer(z.array(row), result, `${model}.search_read`);
}

/** Creates one record and returns its id. */
export async function createOne(rpc: TrytonRpc, model: string, values: Record<string, unknown>): Promise<number> {
  const ids = parseAnswer(z.array(TrytonId).length(1), await rpc.model(model, 'create', [values]), `${model}.create`);
  return ids[0] as number;
}

/** Tryton's ids are positive integers; ours travel as their decimal text. */
export const TrytonId = z.number().int().positive();

/** The numeric id in an interface id, or null when the text cannot be a Tryton id at all. */
export function toTrytonId(id: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(id)) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}

/** A Numeric field as decoded by the codec. */
export const DecimalField = z.instanceof(Decimal);

/** Char fields that Tryton leaves empty come back as null (or, rarely, false). */
export const OptionalText = z
  .union([z.string(), z.null(), z.literal(false)])
  .transform((v) => (typeof v === 'string' && v !== '' ? v : null));

/** `field.` of a Many2One read through a dotted name: the related record, or null. */
export function related<T extends z.ZodType>(shape: T) {
  return z
    .union([shape, z.null()])
    .optional()
    .transform((v) => v ?? null);
}

/** Escapes `%`, `_` and `\` so a user's word matches literally inside an `ilike` pattern. */
export function likeContains(word: string): string {
  return `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

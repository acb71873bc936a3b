/** Validators shared by the routes for what arrives as text: whole numbers, and "nothing at all". */
import { z } from 'zod';

/**
 * A whole number in [min, max] written with decimal digits only. `z.coerce.number()` would also
 * take ' 5', '0x10', '1e3' and '' (as 0): a query or path segment means exactly what it says.
 */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a whole number (digits only)')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Routes that take no query parameters say so rather than ignore them. */
export const noQuery = z.strictObject({});

/** Routes that take no body accept none, or `{}`; anything else is a 400 (it was not read). */
export const noBody = z.union([z.undefined(), z.strictObject({})], {
  error: () => 'this request takes no body (or {})',
});

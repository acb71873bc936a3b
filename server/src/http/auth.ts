/**
 * Bearer tokens for /v1 (CLOSELOOP_API_TOKENS; several, so they can be rotated). Tokens are
 * compared as SHA-256 digests with timingSafeEqual: equal length always, constant time always,
 * and every configured token is compared so the position of a match does not show either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { errorBody } from './errors';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export function bearerAuth(tokens: string[]): RequestHandler {
  const accepted = tokens.map(digest);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    let ok = false;
    if (match) {
      const presented = digest(match[1] as string);
      for (const candidate of accepted) ok = timingSafeEqual(candidate, presented) || ok;
    }
    if (!ok) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="closeloop"');
      res
        .status(401)
        .json(errorBody('UNAUTHORIZED', 'A valid bearer token is required (Authorization: Bearer <token>)'));
      return;
    }
    next();
  };
}

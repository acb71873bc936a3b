/**
 * Bearer tokens for /v1 (CLOSELOOP_API_TOKENS; several, so they can be rotated). Tokens are
 * compared as SHA-256 digests with timingSafeEqual: equal length always, constant time always,
 * and every configured token is compared so the position of a match does not show either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { errorBody } from './errors';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Whether a request carries one of the tokens in its Authorization header (and only there). */
export function tokenCheck(tokens: string[]): (req: Request) => boolean {
  const accepted = tokens.map(digest);
  return (req) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return false;
    const presented = digest(match[1] as string);
    let ok = false;
    for (const candidate of accepted) ok = timingSafeEqual(candidate, presented) || ok;
    return ok;
  };
}

export function bearerAuth(tokens: string[]): RequestHandler {
  const authorized = tokenCheck(tokens);
  return (req, res, next) => {
    if (!authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="closeloop"');
      res
        .status(401)
        .json(errorBody('UNAUTHORIZED', 'A valid bearer token is required (Authorization: Bearer <token>)'));
      return;
    }
    next();
  };
}

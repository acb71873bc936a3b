/**
 * OAuth 2.0 client-credentials flow (`POST /services/oauth2/token`) and bearer tokens. Tokens
 * look like real ones (`00D...!...`) and expire after a TTL or on demand.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { to15 } from '../ids';

export interface TokenSettings {
  clientId: string;
  clientSecret: string;
  tokenTtlMs: number;
  clock: () => Date;
}

export class Tokens {
  private readonly issued = new Map<string, number>();

  constructor(
    private readonly settings: TokenSettings,
    private readonly orgId: string,
  ) {}

  issue(): string {
    const token = `${to15(this.orgId)}!${randomBytes(48).toString('base64url')}`;
    this.issued.set(token, this.settings.clock().getTime() + this.settings.tokenTtlMs);
    return token;
  }

  isValid(token: string): boolean {
    const expiresAt = this.issued.get(token);
    return expiresAt !== undefined && this.settings.clock().getTime() < expiresAt;
  }

  expireAll(): void {
    this.issued.clear();
  }

  /** Constant-time check of the presented client credentials. */
  accepts(clientId: string, clientSecret: string): boolean {
    return same(clientId, this.settings.clientId) && same(clientSecret, this.settings.clientSecret);
  }

  sign(text: string): string {
    return createHmac('sha256', this.settings.clientSecret).update(text).digest('base64');
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Client credentials from the form body, or from an HTTP Basic header (RFC 6749 §2.3.1). */
function credentials(req: Request): { id: string; secret: string } {
  const body: Record<string, unknown> = typeof req.body === 'object' && req.body !== null ? req.body : {};
  const basic = /^Basic\s+(.+)$/i.exec(req.get('authorization') ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return { id: text(body.client_id), secret: text(body.client_secret) };
}

/** The bearer token of a data request (`Authorization: Bearer x`; `OAuth x` is accepted too). */
export function bearerToken(req: Request): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export interface TokenRouteContext {
  tokens: Tokens;
  orgId: string;
  userId: string;
  onRequest: () => void;
}

export function tokenRoute(ctx: TokenRouteContext): RequestHandler {
  return (req, res) => {
    ctx.onRequest();
    const body: Record<string, unknown> = typeof req.body === 'object' && req.body !== null ? req.body : {};
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
      return;
    }
    const { id, secret } = credentials(req);
    if (!ctx.tokens.accepts(id, secret)) {
      res.status(400).json({ error: 'invalid_client', error_description: 'invalid client credentials' });
      return;
    }
    const instanceUrl = baseUrl(req);
    const identity = `${instanceUrl}/id/${ctx.orgId}/${ctx.userId}`;
    const issuedAt = String(Date.now());
    res.json({
      access_token: ctx.tokens.issue(),
      signature: ctx.tokens.sign(identity + issuedAt),
      scope: 'api',
      instance_url: instanceUrl,
      id: identity,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  };
}

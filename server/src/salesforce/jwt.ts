/**
 * The JWT bearer flow's assertion (RFC 7523), signed RS256 with the connected app's private key.
 * Small enough that node:crypto does it; no token library needed.
 */
import { createSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const ASSERTION_LIFETIME_SECONDS = 180;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export async function jwtBearerAssertion(
  auth: { clientId: string; username: string; privateKeyFile: string },
  loginUrl: string,
  now: number = Date.now(),
): Promise<string> {
  const privateKey = await readFile(auth.privateKeyFile, 'utf8');
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = base64url(
    JSON.stringify({
      iss: auth.clientId,
      sub: auth.username,
      aud: loginUrl,
      exp: Math.floor(now / 1000) + ASSERTION_LIFETIME_SECONDS,
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
  return `${header}.${claims}.${base64url(signature)}`;
}

/**
 * Where the CLI finds the backend: flags (or their environment variables) first, then what
 * `sf closeloop login` stored in the sf global folder (~/.sf/closeloop.json). The token is stored
 * encrypted with the sf CLI's own key, like the org auth files, so neither the file nor sf's debug
 * log (which prints config contents) ever holds it in clear.
 */
import { ConfigFile, Global, Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backend');

type SettingsContents = {
  backendUrl?: string;
  token?: string;
  /** Where `sf closeloop backfill` stopped listing accounts, per backend URL. */
  backfillCursors?: Record<string, string>;
};

export class CloseloopSettings extends ConfigFile<ConfigFile.Options, SettingsContents> {
  protected static override encryptedKeys = ['token'];

  public static override getFileName(): string {
    return 'closeloop.json';
  }

  public static override getDefaultOptions(): ConfigFile.Options {
    return {
      ...ConfigFile.getDefaultOptions(true, CloseloopSettings.getFileName()),
      stateFolder: Global.SF_STATE_FOLDER,
    };
  }
}

export interface BackendSettings {
  url: string;
  token: string;
  /** Where the URL and the token came from, for the status output. */
  source: { url: 'flag' | 'stored'; token: 'flag' | 'stored' };
}

/** Base URL as the client uses it: http(s), no trailing slash; anything else is a clear error. */
export function normalizeBackendUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw messages.createError('error.BadBackendUrl', [raw]);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw messages.createError('error.BadBackendUrl', [raw]);
  return url.toString().replace(/\/+$/, '');
}

export async function readSettings(): Promise<SettingsContents> {
  const file = await CloseloopSettings.create();
  const token = file.get('token', true);
  return { backendUrl: file.get('backendUrl'), token: typeof token === 'string' ? token : undefined };
}

/** Stores the URL and the token; returns the file's path. */
export async function saveSettings(url: string, token: string): Promise<string> {
  const file = await CloseloopSettings.create();
  file.set('backendUrl', url);
  file.set('token', token);
  await file.write();
  return file.getPath();
}

/** The backend to talk to, from the flags or the stored settings; an error with next steps if either is missing. */
export async function resolveBackendSettings(flags: { url?: string; token?: string }): Promise<BackendSettings> {
  const stored = flags.url && flags.token ? {} : await readSettings();
  const url = flags.url ?? stored.backendUrl;
  const token = flags.token ?? stored.token;
  if (!url || !token) throw messages.createError('error.NoBackend');
  return {
    url: normalizeBackendUrl(url),
    token,
    source: { url: flags.url ? 'flag' : 'stored', token: flags.token ? 'flag' : 'stored' },
  };
}

/**
 * All but the last 4 characters hidden, so an admin can tell tokens apart without exposing one. A
 * token of 8 characters or fewer is hidden whole (4 would be half of it); at most 20 stars, so
 * the output does not tell a long token's length either.
 */
export function maskToken(token: string): string {
  if (token.length <= 8) return '*'.repeat(token.length);
  return `${'*'.repeat(Math.min(token.length - 4, 20))}${token.slice(-4)}`;
}

/** The account id after which the last, interrupted backfill listing of this backend stopped. */
export async function readBackfillCursor(url: string): Promise<string | null> {
  const file = await CloseloopSettings.create();
  return file.get('backfillCursors')?.[url] ?? null;
}

/** Remembers where the backfill listing of this backend is (null: it went through to the end). */
export async function saveBackfillCursor(url: string, after: string | null): Promise<void> {
  const file = await CloseloopSettings.create();
  const cursors = { ...(file.get('backfillCursors') ?? {}) };
  if (after === null) delete cursors[url];
  else cursors[url] = after;
  file.set('backfillCursors', cursors);
  await file.write();
}

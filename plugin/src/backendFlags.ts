/**
 * The flags every command that talks to the backend shares, and the one place that turns them
 * (or the stored settings) into a client.
 */
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { BackendClient } from './backend.js';
import { resolveBackendSettings, type BackendSettings } from './settings.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backend');

export const backendFlags = {
  'backend-url': Flags.string({
    summary: messages.getMessage('flags.backend-url.summary'),
    description: messages.getMessage('flags.backend-url.description'),
    env: 'CLOSELOOP_BACKEND_URL',
    helpGroup: 'BACKEND',
  }),
  token: Flags.string({
    summary: messages.getMessage('flags.token.summary'),
    description: messages.getMessage('flags.token.description'),
    env: 'CLOSELOOP_TOKEN',
    helpGroup: 'BACKEND',
  }),
};

export interface Backend {
  client: BackendClient;
  settings: BackendSettings;
}

export async function connectBackend(flags: { 'backend-url'?: string; token?: string }): Promise<Backend> {
  const settings = await resolveBackendSettings({ url: flags['backend-url'], token: flags.token });
  return { client: new BackendClient({ url: settings.url, token: settings.token }), settings };
}

import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { syncStatus } from '../../api.js';
import { BackendClient } from '../../backend.js';
import { maskToken, normalizeBackendUrl, saveSettings } from '../../settings.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.login');
const backendMessages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backend');

export interface LoginResult {
  backendUrl: string;
  /** Masked: all but the last 4 characters. */
  token: string;
  /** The file the settings are stored in. */
  path: string;
}

export default class Login extends SfCommand<LoginResult> {
  public static override readonly summary = messages.getMessage('summary');
  public static override readonly description = messages.getMessage('description');
  public static override readonly examples = messages.getMessages('examples');

  public static override readonly flags = {
    'backend-url': Flags.string({
      summary: backendMessages.getMessage('flags.backend-url.summary'),
      env: 'CLOSELOOP_BACKEND_URL',
      required: true,
    }),
    token: Flags.string({
      summary: backendMessages.getMessage('flags.token.summary'),
      description: backendMessages.getMessage('flags.token.description'),
      env: 'CLOSELOOP_TOKEN',
      required: true,
    }),
  };

  public async run(): Promise<LoginResult> {
    const { flags } = await this.parse(Login);
    const url = normalizeBackendUrl(flags['backend-url']);
    // Only a URL and token that work are stored: an authenticated read proves both.
    await new BackendClient({ url, token: flags.token }).get('/v1/sync/status', syncStatus);
    const path = await saveSettings(url, flags.token);
    const token = maskToken(flags.token);
    this.logSuccess(messages.getMessage('stored', [url, token, path]));
    return { backendUrl: url, token, path };
  }
}

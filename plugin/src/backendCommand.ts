/**
 * What every command that talks to the backend has in common: the backend flags, and a warning
 * when the token would cross the network in clear.
 */
import { Messages } from '@salesforce/core';
import { SfCommand } from '@salesforce/sf-plugins-core';
import { connectBackend, type Backend } from './backendFlags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@closeloop/plugin-closeloop', 'closeloop.backend');

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export abstract class BackendCommand<T> extends SfCommand<T> {
  protected async connect(flags: { 'backend-url'?: string; token?: string }): Promise<Backend> {
    const backend = await connectBackend(flags);
    const url = new URL(backend.settings.url);
    if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
      this.warn(messages.getMessage('warning.PlainHttp', [backend.settings.url]));
    }
    return backend;
  }
}

// Synthetic shadow first, as on the platform: SLDS's global stylesheet then reaches every
// component's markup (native shadow DOM would keep it out).
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import configProvider from 'lightning/configProvider';
import PreviewApp from 'preview/app';
import { adoptTokenFromUrl } from './stubs/backend/backend';

// The API token leaves the address bar before anything else runs (see adoptTokenFromUrl).
adoptTokenFromUrl();
window.addEventListener('hashchange', adoptTokenFromUrl);

// lightning-icon builds sprite URLs from these tokens; the sprites are in dist/assets/icons.
const base = window.location.pathname.replace(/\/[^/]*$/, '');
const sprites = ['action', 'custom', 'doctype', 'standard', 'utility'];
const tokens = Object.fromEntries(
  sprites.flatMap((s) => [
    [`lightning.${s}Sprite`, `/assets/icons/${s}-sprite/svg/symbols.svg`],
    [`lightning.${s}SpriteRtl`, `/assets/icons/${s}-sprite/svg/symbols-rtl.svg`],
  ]),
);
configProvider({ getPathPrefix: () => base, getToken: (name) => tokens[name] });

document.body.appendChild(createElement('preview-app', { is: PreviewApp }));

/** The demo's local preview: the package's real LWCs on this backend, with a scenario panel. */
export { previewRouter, type PreviewDeps } from './router';
export { closeloopBackend, type PreviewBackend } from './backend';
export { PREVIEW_CSP } from './staticPage';

/**
 * A feature gate that is closed. lightning-base-components' npm package opens every gate; the
 * ones mapped here (build/salesforceModules.mjs) need native shadow DOM — ElementInternals, which
 * synthetic shadow refuses — and are closed wherever the platform runs synthetic shadow.
 */
export default { isOpen: () => false };

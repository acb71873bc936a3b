import { LightningElement, api } from 'lwc';

const VARIANTS = ['info', 'success', 'warning', 'error'];
const DISMISS_MS = 6000;

/**
 * Shows what components ask for with ShowToastEvent, as Lightning Experience does: SLDS toasts at
 * the top of the page; 'sticky' ones stay until closed, the others go after a few seconds.
 */
export default class Toasts extends LightningElement {
  toasts = [];
  count = 0;

  get hasToasts() {
    return this.toasts.length > 0;
  }

  @api
  show({ title, message, variant, mode }) {
    const kind = VARIANTS.includes(variant) ? variant : 'info';
    this.count += 1;
    const key = `toast-${this.count}`;
    this.toasts = [
      ...this.toasts,
      { key, title, message, variant: kind, className: `slds-notify slds-notify_toast slds-theme_${kind}` },
    ];
    if (mode !== 'sticky') {
      // Lightning Experience dismisses non-sticky toasts after a while; only a timer can.
      // eslint-disable-next-line @lwc/lwc/no-async-operation
      setTimeout(() => this.close(key), DISMISS_MS);
    }
  }

  handleClose(event) {
    this.close(event.target.dataset.key);
  }

  close(key) {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }
}

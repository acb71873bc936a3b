/**
 * `lightning/platformShowToastEvent`: the same event the platform listens for. The preview's app
 * (c-less shell, preview/app) catches it and shows the toast, as Lightning Experience does.
 */
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}

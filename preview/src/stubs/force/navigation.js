/**
 * `force/navigation` (LBC's `lightning/navigation` re-exports it). The preview is one page: a
 * navigation request is logged and otherwise does nothing; the current page reference is fixed.
 */
export class CurrentPageReference {
  constructor(dataCallback) {
    this.dataCallback = dataCallback;
  }

  connect() {
    this.dataCallback({ type: 'standard__navItemPage', attributes: { apiName: 'Closeloop_Preview' }, state: {} });
  }

  disconnect() {}

  update() {}
}

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      console.info('The preview does not navigate; a record page would open:', pageReference);
    }

    [GenerateUrl]() {
      return Promise.resolve('#');
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

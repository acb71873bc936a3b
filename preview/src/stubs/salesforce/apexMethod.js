/**
 * What `@salesforce/apex/Class.method` is on the platform: a function to call imperatively that is
 * also a wire adapter. The wire provides `{ data: undefined, error: undefined }` first, then the
 * answer; refreshApex (see apex.js) asks again for a value this wire provided.
 */

/** Each provided value → the adapter that provided it, as LDS keeps them for refreshApex. */
const providers = new WeakMap();

export function refreshProvided(value) {
  const adapter = providers.get(value);
  return adapter ? adapter.refresh() : Promise.resolve();
}

/**
 * `call(params)` runs the controller's logic against the backend and resolves to its answer. Called
 * imperatively it always answers a promise, as on the platform: a refusal is a rejection, never a
 * synchronous throw.
 */
export function apexMethod(call) {
  const method = async (params) => call(params ?? {});
  method.adapter = class ApexWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.asked = 0;
    }

    connect() {
      this.emit({ data: undefined, error: undefined });
    }

    disconnect() {
      this.asked += 1; // answers still on their way are for nobody now
    }

    update(config) {
      this.config = { ...config };
      // Like LDS, nothing is asked while a reactive parameter ('$recordId') is still undefined.
      if (Object.values(this.config).some((value) => value === undefined)) return;
      this.fetch();
    }

    refresh() {
      return this.config ? this.fetch() : Promise.resolve();
    }

    async fetch() {
      this.asked += 1;
      const ask = this.asked;
      let value;
      try {
        value = { data: await call(this.config), error: undefined };
      } catch (error) {
        value = { data: undefined, error };
      }
      if (ask === this.asked) this.emit(value); // only the latest question's answer is shown
    }

    emit(value) {
      providers.set(value, this);
      this.dataCallback(value);
    }
  };
  return method;
}

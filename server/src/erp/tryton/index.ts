/** The Tryton ERP behind `ErpConnector`. The local test/demo server is in `./localServer`. */
export { TrytonConnector, createTrytonConnector, type TrytonConfig } from './connector';
export { TrytonUserWarning } from './rpc';

/**
 * `npm start`: the backend as configured by the environment (PRODUCT.md, "Backend configuration").
 * A bad configuration stops here with a message naming the variable.
 */
import { startCloseloop } from './closeloop';
import { ConfigError, describeConfig, loadConfig } from './config';
import { createLogger } from './log';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  log.info({ config: describeConfig(config) }, 'starting Closeloop');
  const closeloop = await startCloseloop(config, log);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing the jobs in flight');
    closeloop.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Closeloop could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});

/** Starts the real parts every test run needs, once: Tryton (see ./tryton.ts). */
export default async function globalSetup(): Promise<void> {
  // Filled in as the parts land.
}

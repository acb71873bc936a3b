// oclif finds the commands in lib/commands; the package itself exports nothing.
export default {};

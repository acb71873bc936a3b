// Every SfCommand run adds SIGINT/SIGTERM/SIGHUP/SIGBREAK listeners that exit the process (it
// expects one command per process). Tests run dozens in one process: not a leak, so no warning.
process.setMaxListeners(200);

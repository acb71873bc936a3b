/**
 * A manual retry asked for while the job is running: the running attempt finishes, then the job
 * runs again with the payload the person sent (stored in `payload` at once).
 */
export default `
ALTER TABLE jobs ADD COLUMN rerun_requested boolean NOT NULL DEFAULT false;
`;

/**
 * How far back discovery reads per pipeline and environment (newest first). README promises
 * these figures; attribution treats a window that reaches past the oldest record read as
 * unknown rather than guess.
 */
export const RUNS_PER_PIPELINE = 100;

/** Deployment records kept per environment, newest first. */
export const DEPLOYMENTS_PER_ENVIRONMENT = 500;

/** The states bench/contention.ts sets for its neighbour thread (contention-worker.ts). */
export const PAUSE = 0, RUN = 1, STOP = 2;

/**
 * Run counts and budgets of the HTTP shutdown benchmark, in one place. `BENCH_QUICK=1` shrinks
 * every count for a smoke run (a few seconds per scenario); its numbers mean nothing.
 */
export const QUICK = process.env.BENCH_QUICK === '1'

/** The shutdown budget every variant gets (close-all deadline, grace, terminator timeout, hook timeout). */
export const BUDGET_MS = 2_000

/** S1: idle keep-alive connections and runs per variant. */
export const S1_CONNECTIONS = QUICK ? 100 : 500
export const S1_RUNS = QUICK ? 1 : 9

/** S2: in-flight requests, their handler time, when the trigger comes, and runs per variant. */
export const S2_REQUESTS = 100
export const S2_HANDLER_MS = 1_000
export const S2_TRIGGER_AFTER_MS = 100
export const S2_PROBE_AFTER_TRIGGER_MS = 50
export const S2_RUNS = QUICK ? 1 : 5
/** How long after the last response we wait for an exit before calling the variant stuck. */
export const S2_EXIT_CAP_MS = 8_000

/** S3: keep-alive connections under load, handler time, trigger time, runs for us and for each peer. */
export const S3_CONNECTIONS = 50
export const S3_HANDLER_MS = 5
export const S3_TRIGGER_AFTER_MS = 1_000
export const S3_RUNS_US = QUICK ? 2 : 20
export const S3_RUNS_PEER = QUICK ? 1 : 5
/** Load goes on this long after the trigger; a server still up then "never" exits under load. */
export const S3_LOAD_CAP_MS = BUDGET_MS + 1_000

/** S4: connections, warm-up and measured window, rounds of [bare, us, bare]. */
export const S4_CONNECTIONS = 32
export const S4_WARMUP_MS = QUICK ? 200 : 500
export const S4_MEASURE_MS = QUICK ? 500 : 2_000
export const S4_ROUNDS = QUICK ? 1 : 7

/** Timeout: one request that never ends; runs per variant; how long past the budget counts as a hang. */
export const TIMEOUT_RUNS = QUICK ? 1 : 3
export const TIMEOUT_HANG_CAP_MS = BUDGET_MS + 2_000

/** Memory: idle keep-alive connections per run, and rounds of [bare, us] (each ratio within one round). */
export const MEMORY_CONNECTIONS = QUICK ? 1_000 : 5_000
export const MEMORY_ROUNDS = QUICK ? 1 : 4
/** The target of issue 17: heap per idle connection with `httpServer()` ≤ 1.15 × the bare server's. */
export const MEMORY_TARGET_RATIO = 1.15

/** A fixed seed keeps CI repeatable; HEARTH_FUZZ_SEED and HEARTH_FUZZ_RUNS explore further. */
export const RUNS = { seed: Number(process.env.HEARTH_FUZZ_SEED ?? 20261201), numRuns: Number(process.env.HEARTH_FUZZ_RUNS ?? 1000) };

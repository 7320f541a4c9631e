import fc from 'fast-check';

/**
 * Property tests run with a fixed seed so CI is deterministic; explore new inputs locally with
 * FC_SEED=<any number> (a failure prints the seed and path that reproduce it).
 */
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

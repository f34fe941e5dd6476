/**
 * A worked example ("10万 × 0.6% = 600") needs no outside source: it is the coach's arithmetic.
 * Its own module, because both the build-time validator and the run-time renderer need it and
 * the renderer must not pull the validator (zod schemas, the YAML parser) into the runtime.
 */
export const EXAMPLE_SOURCE = 'example';

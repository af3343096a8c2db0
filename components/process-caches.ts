/**
 * Caches of pure answers that a process keeps (e.g. a schedule's weekly on-hours, worked out once
 * per window). Each is made through `processCache`, so that `forgetProcessCaches` can empty them
 * all: the mutation run (test/stryker-root-hooks.ts) does before every test, because an answer
 * cached while another mutant, or none, was active would hide the mutant under test.
 */
const caches: { clear(): void }[] = [];

export function processCache<C extends { clear(): void }>(cache: C): C {
    caches.push(cache);
    return cache;
}

export function forgetProcessCaches(): void {
    for (const cache of caches) cache.clear();
}

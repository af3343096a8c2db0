/**
 * Drill time, in seconds. A real drill runs on the wall clock; a rehearsal runs `scale` times
 * faster, so a drill with a 10 s health-check interval and a 30 s TTL takes seconds, not minutes.
 * Everything the drill measures and reports is in drill seconds.
 */
export interface Clock {
    readonly scale: number;
    /** Drill seconds since the clock started. */
    now(): number;
    /** Wall milliseconds of a span of drill seconds (for timers and request timeouts). */
    ms(seconds: number): number;
    sleep(seconds: number, signal?: AbortSignal): Promise<void>;
}

export function scaledClock(scale = 1): Clock {
    const started = performance.now();
    return {
        scale,
        now: () => ((performance.now() - started) / 1000) * scale,
        ms: (seconds) => (seconds * 1000) / scale,
        sleep: (seconds, signal) =>
            new Promise<void>((resolve) => {
                const until = performance.now() + (seconds * 1000) / scale;
                const done = () => {
                    clearTimeout(timer);
                    signal?.removeEventListener("abort", done);
                    resolve();
                };
                // Node's timers count from the event loop's cached time, so one can fire a little before the
                // span has passed on performance.now(), which `now()` reads: wait out the rest.
                const wake = () => {
                    const left = until - performance.now();
                    if (left > 0) timer = setTimeout(wake, left);
                    else done();
                };
                let timer = setTimeout(wake, until - performance.now());
                signal?.addEventListener("abort", done, { once: true });
            }),
    };
}

import { RunnerUsageError } from "../runner/pr-stacks";

/** How long a rehearsal's `up` takes, in drill seconds: a fixed time, or drawn per update. */
export type LatencyDistribution =
    | { readonly kind: "fixed"; readonly seconds: number }
    | { readonly kind: "uniform"; readonly min: number; readonly max: number }
    /** Right-skewed, as real update times are: median × e^(σ·Z), Z standard normal. */
    | { readonly kind: "lognormal"; readonly median: number; readonly sigma: number };

/** A standard normal draw (Box–Muller). */
function standardNormal(random: () => number): number {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function drawLatency(d: LatencyDistribution, random: () => number = Math.random): number {
    if (d.kind === "fixed") return d.seconds;
    if (d.kind === "uniform") return d.min + (d.max - d.min) * random();
    return d.median * Math.exp(d.sigma * standardNormal(random));
}

const EXAMPLE = "e.g. --up-latency 2, uniform:1:5 or lognormal:2:0.5 (seconds; median and σ)";

/** `--up-latency`: `<s>`, `uniform:<min s>:<max s>` or `lognormal:<median s>:<σ>`. */
export function parseLatency(spec: string): LatencyDistribution {
    const [kind, ...rest] = spec.split(":");
    const nums = (kind === "uniform" || kind === "lognormal" ? rest : [kind]).map(Number);
    const bad = (why: string): never => {
        throw new RunnerUsageError(`got --up-latency "${spec}": ${why}, ${EXAMPLE}`);
    };
    if (nums.some((n) => !Number.isFinite(n) || n < 0)) bad("numbers of seconds at least 0");
    if (kind === "uniform") return rest.length === 2 && nums[0] <= nums[1] ? { kind, min: nums[0], max: nums[1] } : bad("uniform takes a minimum and a maximum not below it");
    if (kind === "lognormal") return rest.length === 2 && nums[0] > 0 ? { kind, median: nums[0], sigma: nums[1] } : bad("lognormal takes a median above 0 and a σ");
    return rest.length === 0 ? { kind: "fixed", seconds: nums[0] } : bad("a distribution is fixed, uniform or lognormal");
}

import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { durationHours, isPrometheusDuration, show } from "../../components/validation";
import { GateSettings } from "../health/health-gate";
import { didYouMean } from "../../stacks/config-problems";
import { RINGS_FILE } from "./rings-file";
import { RunnerUsageError } from "./usage-error";

export { RINGS_FILE };

/** The whole service's 5xx share over five minutes, as the shared Gateway's workloads report it. */
export const DEFAULT_ERROR_RATIO_QUERY = `sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))`;

const duration = z.string().refine(isPrometheusDuration, "not a duration");
const gateSchema = z.strictObject({
    probes: z.number().int().min(1).default(3),
    interval: duration.default("10s"),
    timeout: duration.default("5m"),
    requestTimeout: duration.default("5s"),
    maxErrorRatio: z.number().min(0).max(1).default(0.01),
    errorRatioQuery: z.string().min(1).default(DEFAULT_ERROR_RATIO_QUERY),
    /** Per stack of the ring: the base URL of its Prometheus HTTP API. */
    prometheus: z.record(z.string(), z.url()).default({}),
});
const ringSchema = z.strictObject({ stacks: z.array(z.string()).min(1), gate: gateSchema.prefault({}) });
const fileSchema = z.strictObject({ rings: z.record(z.string(), ringSchema) });

const EXAMPLES: Record<string, string> = {
    stacks: "[staging, prod-us-east-1, prod-us-west-2]",
    probes: "3",
    interval: "10s",
    timeout: "5m",
    requestTimeout: "5s",
    maxErrorRatio: "0.01",
    errorRatioQuery: DEFAULT_ERROR_RATIO_QUERY,
    prometheus: "{ staging: http://prometheus.staging.internal:9090 }",
};

/** A ring: the stacks in rollout order and the gate each must pass before the next is touched. */
export interface Ring {
    readonly name: string;
    readonly stacks: readonly string[];
    readonly gate: Omit<GateSettings, "prometheusUrl" | "signal">;
    readonly prometheus: Readonly<Record<string, string>>;
}

const ms = (d: string) => Math.round(durationHours(d) * 3_600_000);

type RingEntry = z.infer<typeof ringSchema>;

/** Reads and checks `rings.yaml` as a whole; every problem (field, value, example) in one usage error. */
function readRings(projectDir: string): Record<string, RingEntry> {
    const file = path.join(projectDir, RINGS_FILE);
    if (!fs.existsSync(file)) throw new RunnerUsageError(`${RINGS_FILE} not found in ${projectDir}: define a ring, e.g. rings: { default: { stacks: ${EXAMPLES.stacks} } }`);
    let doc: unknown;
    try {
        doc = parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new RunnerUsageError(`${RINGS_FILE} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const parsed = fileSchema.safeParse(doc, { reportInput: true });
    if (!parsed.success) {
        const lines = parsed.error.issues.flatMap((i) => {
            const field = i.path.map(String).join(".");
            if (i.code === "unrecognized_keys") {
                // The keys allowed where the unknown one is: a ring's, a gate's, or the file's.
                const known = Object.keys(i.path.length === 0 ? fileSchema.shape : i.path.length === 2 ? ringSchema.shape : gateSchema.shape);
                return i.keys.map((k) => {
                    const guess = didYouMean(k, known);
                    return `${field ? `${field}.` : ""}${k}: unknown key${guess ? `: did you mean ${guess}?` : `; the keys here are ${known.join(", ")}`}`;
                });
            }
            const key = String(i.path.findLast((p) => typeof p === "string" && p in EXAMPLES) ?? "");
            const example = EXAMPLES[key] ? `; e.g. ${EXAMPLES[key]}` : "; e.g. rings: { default: { stacks: [staging, prod-us-east-1] } }";
            return [`${field || "(top level)"}: ${i.input === undefined ? "required, and missing" : `got ${show(i.input)}: ${i.message}`}${example}`];
        });
        throw new RunnerUsageError(`${RINGS_FILE}: ${lines.join("; ")}`);
    }
    return parsed.data.rings;
}

/** One ring of the file, its stacks checked against the project's stacks. */
function checkedRing(name: string, ring: RingEntry, knownStacks: readonly string[]): Ring {
    const problems = [
        ...ring.stacks.filter((s) => !knownStacks.includes(s)).map((s) => `rings.${name}.stacks: unknown stack "${s}" (no Pulumi.${s}.yaml)${didYouMean(s, knownStacks) ? `; did you mean ${didYouMean(s, knownStacks)}?` : ""}`),
        ...ring.stacks.filter((s, i) => ring.stacks.indexOf(s) !== i).map((s) => `rings.${name}.stacks: "${s}" appears twice`),
        ...Object.keys(ring.gate.prometheus).filter((s) => !ring.stacks.includes(s)).map((s) => `rings.${name}.gate.prometheus: "${s}" is not a stack of this ring`),
    ];
    if (problems.length > 0) throw new RunnerUsageError(`${RINGS_FILE}: ${problems.join("; ")}`);
    const g = ring.gate;
    return {
        name,
        stacks: ring.stacks,
        gate: { probes: g.probes, intervalMs: ms(g.interval), timeoutMs: ms(g.timeout), requestTimeoutMs: ms(g.requestTimeout), maxErrorRatio: g.maxErrorRatio, errorRatioQuery: g.errorRatioQuery },
        prometheus: g.prometheus,
    };
}

/** Reads one ring from `rings.yaml`; every problem (field, value, example) in one usage error. */
export function loadRing(projectDir: string, name: string, knownStacks: readonly string[]): Ring {
    const rings = readRings(projectDir);
    const ring = rings[name];
    if (!ring) {
        const guess = didYouMean(name, Object.keys(rings));
        throw new RunnerUsageError(`got --ring "${name}": no such ring in ${RINGS_FILE}${guess ? `; did you mean --ring ${guess}?` : `; rings there: ${Object.keys(rings).join(", ") || "none"}, e.g. --ring default`}`);
    }
    return checkedRing(name, ring, knownStacks);
}

/** Every ring of `rings.yaml`, each checked as `loadRing` checks it; none when the project has no such file. */
export function loadRings(projectDir: string, knownStacks: readonly string[]): Ring[] {
    if (!fs.existsSync(path.join(projectDir, RINGS_FILE))) return [];
    return Object.entries(readRings(projectDir)).map(([name, ring]) => checkedRing(name, ring, knownStacks));
}

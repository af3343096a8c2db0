import * as ipaddr from "ipaddr.js";

/** One bad argument: where it is, and a reason that says what was received and how to fix it. */
export interface Problem {
    readonly propertyPath: string;
    readonly reason: string;
}

/** Renders a received value for an error message, short and unambiguous. */
export function show(value: unknown): string {
    if (value === undefined) return "nothing";
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Collects every problem with a set of arguments, so one error can list them all
 * (a user fixes their config once, not once per problem).
 */
export class Problems {
    private readonly found: Problem[] = [];

    /** Records a problem with `propertyPath` unless `ok` holds. */
    check(ok: boolean, propertyPath: string, reason: string): void {
        if (!ok) this.found.push({ propertyPath, reason });
    }

    add(propertyPath: string, reason: string): void {
        this.found.push({ propertyPath, reason });
    }

    /** Adds problems found by a nested validator under a path prefix. */
    addAll(prefix: string, problems: readonly Problem[]): void {
        for (const p of problems) this.found.push({ propertyPath: `${prefix}${p.propertyPath}`, reason: p.reason });
    }

    get list(): readonly Problem[] {
        return this.found;
    }

    /** Throws one `InputPropertiesError` naming every problem, if there is any. */
    throwIfAny(component: string): void {
        if (this.found.length === 0) return;
        const lines = this.found.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n");
        // Pulumi's SDK is loaded only to throw: every config check of `paved` (stack files, flags, the
        // plan's main thread) uses this module, and loading the SDK costs about 0.45 CPU-s.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { InputPropertiesError } = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
        throw new InputPropertiesError({
            message: `${component} has ${this.found.length} invalid argument(s):\n${lines}`,
            errors: [...this.found],
        });
    }
}

/** EKS and GKE both name versions as "<major>.<minor>"; a patch level is chosen by the cloud. */
export function checkKubernetesVersion(problems: Problems, path: string, version: unknown): void {
    problems.check(
        typeof version === "string" && /^1\.\d{2}$/.test(version),
        path,
        `got ${show(version)}: expected a Kubernetes minor version as a quoted string, e.g. "1.33"`,
    );
}

/** True for an IPv4 CIDR written in canonical form ("10.0.0.0/16", not "10.0.0.1/16"). */
export function isIpv4Cidr(value: unknown): value is string {
    if (typeof value !== "string" || !ipaddr.IPv4.isValidCIDR(value)) return false;
    const [address, prefix] = ipaddr.IPv4.parseCIDR(value);
    return ipaddr.IPv4.networkAddressFromCIDR(value).toString() === address.toString() && prefix >= 0;
}

export function checkCidr(problems: Problems, path: string, value: unknown, example: string): void {
    problems.check(
        isIpv4Cidr(value),
        path,
        `got ${show(value)}: expected an IPv4 network in CIDR form with no host bits set, e.g. "${example}"`,
    );
}

export function checkIntegerIn(
    problems: Problems,
    path: string,
    value: unknown,
    min: number,
    max: number,
    example: number,
): void {
    problems.check(
        Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
        path,
        `got ${show(value)}: expected a whole number from ${min} to ${max}, e.g. ${example}`,
    );
}

/** A node pool's size range: non-empty and ordered. */
export function checkSizeRange(problems: Problems, path: string, min: unknown, max: unknown): void {
    const at = (field: string) => (path ? `${path}.${field}` : field);
    checkIntegerIn(problems, at("minSize"), min, 0, 1000, 1);
    checkIntegerIn(problems, at("maxSize"), max, 1, 1000, 3);
    if (Number.isInteger(min) && Number.isInteger(max)) {
        problems.check(
            (min as number) <= (max as number),
            at("minSize"),
            `got minSize ${show(min)} > maxSize ${show(max)}: the size range is empty; set minSize <= maxSize, e.g. minSize 1, maxSize 3`,
        );
    }
}

/** Prometheus' duration syntax: units from years to milliseconds, largest first, e.g. "1d12h". */
const PROMETHEUS_DURATION = /^(?=\d)((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/;

export function isPrometheusDuration(value: unknown): value is string {
    return typeof value === "string" && value !== "" && PROMETHEUS_DURATION.test(value);
}

/** A Prometheus duration in hours (used to size object-storage lifecycle rules). */
export function durationHours(value: string): number {
    const m = PROMETHEUS_DURATION.exec(value)!;
    const n = (i: number) => Number(m[i] ?? 0);
    return n(2) * 365 * 24 + n(4) * 7 * 24 + n(6) * 24 + n(8) + n(10) / 60 + n(12) / 3600 + n(14) / 3_600_000;
}

import { Problems, show } from "./validation";

/** Who pays for and owns a resource; every taggable resource carries these. */
export interface CostTags {
    /** Environment name, e.g. "dev", "staging", "prod". */
    readonly environment: string;
    /** Owning team, e.g. "platform-team". */
    readonly owner: string;
    /** Cost centre the spend is booked to, e.g. "cc-1234". */
    readonly costCenter: string;
    /**
     * More tags to merge in.
     * @default no extra tags
     */
    readonly extra?: Readonly<Record<string, string>>;
}

export const MANAGED_BY = "paved-road";
const STANDARD_KEYS = ["environment", "owner", "cost-center", "managed-by"];

export function validateCostTags(tags: CostTags | undefined, path = "tags"): Problems {
    const problems = new Problems();
    for (const field of ["environment", "owner", "costCenter"] as const) {
        const value = tags?.[field];
        problems.check(
            typeof value === "string" && value.trim() !== "",
            `${path}.${field}`,
            `got ${show(value)}: every resource must carry a non-empty ${field}, e.g. ${field}: "${costTagExample[field]}"`,
        );
    }
    for (const key of Object.keys(tags?.extra ?? {})) {
        problems.check(
            !STANDARD_KEYS.includes(key),
            `${path}.extra.${key}`,
            `got ${show(key)}: "${key}" is set by the platform and cannot be overridden; remove it or use another key, e.g. "team-channel"`,
        );
    }
    return problems;
}

const costTagExample = { environment: "dev", owner: "platform-team", costCenter: "cc-1234" };

/** AWS tags: the user's extra tags plus the standard ones. */
export function awsTags(tags: CostTags): Record<string, string> {
    return {
        ...tags.extra,
        environment: tags.environment,
        owner: tags.owner,
        "cost-center": tags.costCenter,
        "managed-by": MANAGED_BY,
    };
}

/**
 * GCP labels: the same set as `awsTags`, made label-safe (lowercase letters, digits, "_" and "-",
 * at most 63 characters, keys starting with a letter) because GCP rejects anything else.
 */
export function gcpLabels(tags: CostTags): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [key, value] of Object.entries(awsTags(tags))) {
        labels[labelSafe(key, true)] = labelSafe(value, false);
    }
    return labels;
}

function labelSafe(text: string, isKey: boolean): string {
    let safe = text.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
    if (isKey && !/^[a-z]/.test(safe)) safe = `k-${safe}`.slice(0, 63);
    return safe;
}

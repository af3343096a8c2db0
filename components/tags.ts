import { Problem, Problems, show } from "./validation";

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

/**
 * AWS tag rules, the strictest of the services the platform tags (IAM roles and OIDC providers,
 * CloudWatch Logs, EC2, S3, KMS, EKS): IAM and CloudWatch Logs allow only letters, digits, spaces
 * and `_ . : / = + - @` in keys and values and fail the whole request on one bad tag; every service
 * caps keys at 128 and values at 256 characters and a resource at 50 tags, and reserves the `aws:`
 * prefix. Sources: IAM User Guide "Tagging IAM resources" (tag naming rules), CloudWatch Logs API
 * `TagResource`, "Tag your Amazon EC2 resources" (tag restrictions).
 */
export const AWS_TAG_RULES = {
    charset: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    maxKeyLength: 128,
    maxValueLength: 256,
    maxTags: 50,
    reservedPrefix: /^aws:/i,
} as const;

/** Problems with the tags AWS would refuse; paths are config keys (`tags.<key>`, or the standard tag's source key). */
export function awsTagProblems(extra: Readonly<Record<string, string>>, standard: Readonly<Record<string, unknown>>): Problem[] {
    const problems = new Problems();
    const allowed = "letters, digits, spaces and _ . : / = + - @ (IAM and CloudWatch Logs refuse anything else)";
    for (const [key, value] of Object.entries(extra)) {
        const path = `tags.${key}`;
        if (key.length === 0 || key.length > AWS_TAG_RULES.maxKeyLength || !AWS_TAG_RULES.charset.test(key)) {
            problems.add(path, `got key ${show(key)}: a tag key is 1 to ${AWS_TAG_RULES.maxKeyLength} ${allowed}; e.g. "team-channel"`);
        } else if (AWS_TAG_RULES.reservedPrefix.test(key)) {
            problems.add(path, `got key ${show(key)}: the "aws:" prefix is reserved for AWS; e.g. "team-channel"`);
        } else if (value.length > AWS_TAG_RULES.maxValueLength || !AWS_TAG_RULES.charset.test(value)) {
            problems.add(path, `got ${show(value)}: a tag value is at most ${AWS_TAG_RULES.maxValueLength} ${allowed}; e.g. "platform" instead of "#platform"`);
        }
    }
    for (const [key, value] of Object.entries(standard)) {
        if (typeof value === "string" && (value.length > AWS_TAG_RULES.maxValueLength || !AWS_TAG_RULES.charset.test(value))) {
            problems.add(key, `got ${show(value)}: it becomes a tag value, which is at most ${AWS_TAG_RULES.maxValueLength} ${allowed}; e.g. "platform-team"`);
        }
    }
    const total = Object.keys(extra).length + STANDARD_KEYS.length;
    if (total > AWS_TAG_RULES.maxTags) {
        problems.add("tags", `got ${Object.keys(extra).length} tags: with the platform's ${STANDARD_KEYS.length} a resource would carry ${total}, and AWS allows ${AWS_TAG_RULES.maxTags}; keep at most ${AWS_TAG_RULES.maxTags - STANDARD_KEYS.length}, e.g. { team-channel: platform }`);
    }
    return [...problems.list];
}

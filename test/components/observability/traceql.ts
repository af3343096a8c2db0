/**
 * A strict parser for the subset of TraceQL the platform emits: one spanset filter, conditions
 * joined by `&&`, each `<attribute> <op> <value>`. Grammar per Tempo's TraceQL docs
 * (docs/sources/tempo/traceql/construct-traceql-queries.md): scoped attributes (`resource.x`,
 * `span.x`), intrinsics (`kind`, `status`, `duration`, `name`), string literals in double quotes,
 * durations like `300ms`, and the enum values of `kind` and `status`. Anything else throws, so a
 * link or query the platform builds wrong fails the test instead of passing unread.
 */
export interface TraceQlCondition {
    readonly attribute: string;
    readonly op: "=" | "!=" | ">" | ">=" | "<" | "<=";
    readonly value: string | { readonly durationMs: number } | { readonly enum: string };
}

const INTRINSIC_ENUMS: Record<string, readonly string[]> = {
    kind: ["unspecified", "internal", "server", "client", "producer", "consumer"],
    status: ["error", "ok", "unset"],
};
const DURATION_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseTraceQl(query: string): TraceQlCondition[] {
    const tokens = query.match(/"(?:[^"\\]|\\.)*"|&&|!=|>=|<=|[{}=<>]|[A-Za-z_][\w.]*|\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)?|\S/g) ?? [];
    let i = 0;
    const next = () => {
        if (i >= tokens.length) throw new Error(`TraceQL ended early: ${query}`);
        return tokens[i++];
    };
    const expectToken = (t: string) => {
        const got = next();
        if (got !== t) throw new Error(`TraceQL: expected ${t}, got ${got} in ${query}`);
    };
    expectToken("{");
    const conditions: TraceQlCondition[] = [];
    for (;;) {
        const attribute = next();
        if (!/^(resource|span)\.[A-Za-z_][\w.]*$/.test(attribute) && !["kind", "status", "duration", "name"].includes(attribute)) {
            throw new Error(`TraceQL: ${attribute} is not a scoped attribute or a known intrinsic in ${query}`);
        }
        const op = next();
        if (!["=", "!=", ">", ">=", "<", "<="].includes(op)) throw new Error(`TraceQL: ${op} is not a comparison in ${query}`);
        const raw = next();
        let value: TraceQlCondition["value"];
        if (raw.startsWith('"')) value = JSON.parse(raw) as string;
        else if (attribute === "duration") {
            const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(raw);
            if (!m) throw new Error(`TraceQL: duration needs a unit, got ${raw} in ${query}`);
            value = { durationMs: Number(m[1]) * DURATION_MS[m[2]] };
        } else if (INTRINSIC_ENUMS[attribute]?.includes(raw)) value = { enum: raw };
        else throw new Error(`TraceQL: ${raw} is not a valid value for ${attribute} in ${query}`);
        conditions.push({ attribute, op: op as TraceQlCondition["op"], value });
        const sep = next();
        if (sep === "}") break;
        if (sep !== "&&") throw new Error(`TraceQL: expected && or }, got ${sep} in ${query}`);
    }
    if (i !== tokens.length) throw new Error(`TraceQL: unexpected ${tokens[i]} after the spanset in ${query}`);
    return conditions;
}

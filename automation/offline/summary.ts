import { StackEvaluation } from "./evaluate";
import { RecordedResource, isSecret } from "./recorder";

/** Per component: how many resources of each type it declares (its whole subtree). */
export interface ComponentSummary {
    readonly type: string;
    readonly name: string;
    readonly total: number;
    readonly byType: Record<string, number>;
}

export function summarizeComponents(resources: readonly RecordedResource[]): ComponentSummary[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const topComponents = resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack" && byUrn.get(r.parent ?? "")?.type === "pulumi:pulumi:Stack");
    const ownerOf = (r: RecordedResource): RecordedResource | undefined => {
        for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
            if (topComponents.includes(p)) return p;
        }
        return undefined;
    };
    return topComponents.map((component) => {
        const byType: Record<string, number> = {};
        for (const r of resources) {
            if (r.custom && ownerOf(r) === component) byType[r.type] = (byType[r.type] ?? 0) + 1;
        }
        return { type: component.type, name: component.name, total: Object.values(byType).reduce((a, b) => a + b, 0), byType };
    });
}

/** An output value for a terminal: secrets masked, long values cut. */
export function displayValue(value: unknown): string {
    if (isSecret(value)) return "[secret]";
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 90 ? `${text.slice(0, 87)}...` : text;
}

/** A human-readable account of what one stack declares. */
export function formatEvaluation(run: StackEvaluation): string {
    const custom = run.resources.filter((r) => r.custom);
    const lines = [`${run.stack}: ${custom.length} resources`];
    for (const component of summarizeComponents(run.resources)) {
        lines.push(`  ${component.type} "${component.name}": ${component.total} resources`);
        for (const [type, count] of Object.entries(component.byType).sort(([a], [b]) => a.localeCompare(b))) {
            lines.push(`    ${String(count).padStart(3)} × ${type}`);
        }
    }
    const outside = custom.filter((r) => run.resources.find((p) => p.urn === r.parent)?.type === "pulumi:pulumi:Stack");
    for (const r of outside) lines.push(`  ${r.type} "${r.name}"`);
    lines.push("  outputs:");
    for (const [key, value] of Object.entries(run.outputs).sort(([a], [b]) => a.localeCompare(b))) {
        lines.push(`    ${key}: ${displayValue(value)}`);
    }
    return lines.join("\n");
}

import { CostReport } from "../../components/nodepools/cost";
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

const usd = (n: number) => `$${n.toFixed(2)}`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

/** A cost report as a small table: baseline (on-demand, 24/7) against the plan (spot × schedule). */
export function formatCostReport(report: CostReport): string[] {
    const lines = [`cost (${report.environment}, monthly, USD; spot discount ${percent(report.assumptions.spotDiscount)}):`];
    for (const p of report.pools) {
        lines.push(
            `  ${p.pool.padEnd(12)} ${String(p.nodes).padStart(2)} × ${p.instanceType.padEnd(15)} ${(p.spot ? "spot" : "on-demand").padEnd(9)} ` +
                `${p.upHoursPerWeek.toString().padStart(6)} h/week ${p.planned.nodeHoursPerWeek.toString().padStart(7)} node-h/week  ${usd(p.planned.monthlyUsd).padStart(10)} ` +
                `vs ${usd(p.baseline.monthlyUsd).padStart(10)} on-demand 24/7  (saves ${percent(p.savingsRatio)})`,
        );
    }
    const t = report.total;
    lines.push(`  total ${usd(t.plannedMonthlyUsd)} vs ${usd(t.baselineMonthlyUsd)}: nodes ${percent(t.shareOfOnDemand)} of on-demand 24/7, savings ratio ${percent(t.savingsRatio)}`);
    return lines;
}

import { CostReport } from "../../components/nodepools/cost";
import { PLATFORM_POLICIES } from "../../policy/policies";
import { program } from "../../stacks/program";
import * as path from "node:path";
import { isProductionConfig, isTeamProductionConfig } from "../driver/policy-config";
import { StackEvaluation, evaluateStack } from "../offline/evaluate";
import { PolicyViolation, checkPolicies } from "../offline/policy-check";
import { readStackConfig } from "../offline/stack-file";
import { TeamProject, evaluateTeamStack, teamProject } from "../offline/team-program";
import { ComponentSummary, displayValue, formatCostReport, summarizeComponents } from "../offline/summary";
import { criticalPath } from "./critical-path";
import { checkStackConfig } from "./validate";

/** What `paved plan` reports for one stack. */
export interface StackPlan {
    readonly stack: string;
    readonly production: boolean;
    readonly resources: number;
    readonly components: ComponentSummary[];
    readonly violations: PolicyViolation[];
    readonly cost?: CostReport;
    readonly criticalPath: { readonly type: string; readonly name: string }[];
    readonly outputs: Record<string, string>;
    /** A team's own project (not the platform's): its name and program entry, relative to the project folder. */
    readonly team?: { readonly project: string; readonly program: string };
    /** Kept for `--diff`; not printed. */
    readonly evaluation: StackEvaluation;
}

/** Reads a stack's file and checks its config, evaluating nothing; a bad file or config throws. */
export function checkStack(projectDir: string, stack: string): { readonly production: boolean; readonly team?: TeamProject } {
    const file = readStackConfig(projectDir, stack);
    // A team's project: its own config under its own namespace, which the platform's roles do not check.
    const team = teamProject(projectDir);
    if (team) return { production: isTeamProductionConfig(team.name, stack, file.config), team };
    const production = isProductionConfig(file.config);
    checkStackConfig(projectDir, stack);
    return { production };
}

/** Evaluates a stack offline, checks the platform policies and finds its critical path. */
export async function planStack(projectDir: string, stack: string): Promise<StackPlan> {
    const { production, team } = checkStack(projectDir, stack);
    const evaluation = team ? await evaluateTeamStack(projectDir, stack, team) : await evaluateStack(projectDir, stack, program);
    const custom = evaluation.resources.filter((r) => r.custom);
    return {
        stack,
        production,
        resources: custom.length,
        // Sorted, not in the order resources registered in, which depends on timing (see critical-path.ts).
        components: summarizeComponents(evaluation.resources)
            .map((c) => ({ ...c, byType: Object.fromEntries(Object.entries(c.byType).sort(([a], [b]) => (a < b ? -1 : 1))) }))
            .sort((a, b) => byKeys(a, b, "type", "name")),
        violations: (await checkPolicies(evaluation.resources, PLATFORM_POLICIES, { production })).sort((a, b) => byKeys(a, b, "urn", "policy", "message")),
        cost: evaluation.outputs.costReport as CostReport | undefined,
        criticalPath: criticalPath(evaluation.resources).map((r) => ({ type: r.type, name: r.name })),
        outputs: Object.fromEntries(Object.entries(evaluation.outputs).filter(([k]) => k !== "costReport").map(([k, v]) => [k, displayValue(v)])),
        ...(team ? { team: { project: team.name, program: path.relative(projectDir, team.entry) } } : {}),
        evaluation,
    };
}

/** Orders two records on their string fields, first difference first. */
function byKeys<T>(a: T, b: T, ...keys: (keyof T & string)[]): number {
    for (const key of keys) if (a[key] !== b[key]) return String(a[key]) < String(b[key]) ? -1 : 1;
    return 0;
}

export function formatPlan(plan: StackPlan): string {
    const lines = [`${plan.stack} (${plan.production ? "production" : "non-production"}): ${plan.resources} resources`];
    if (plan.team) lines.push(`  team project ${plan.team.project}, program ${plan.team.program}`);
    for (const c of plan.components) lines.push(`  ${c.type} "${c.name}": ${c.total}`);
    const mandatory = plan.violations.filter((v) => v.level === "mandatory");
    lines.push(`  policy: ${mandatory.length} mandatory, ${plan.violations.length - mandatory.length} advisory violation(s)`);
    for (const v of plan.violations) lines.push(`    [${v.level}] ${v.policy} ${v.urn.split("::").pop()}: ${v.message}`);
    if (plan.cost) lines.push(...formatCostReport(plan.cost).map((l) => `  ${l}`));
    else if (plan.team) lines.push("  no cost report: the program exports no costReport");
    lines.push(`  critical path (${plan.criticalPath.length} resources, created one after another):`);
    lines.push(`    ${plan.criticalPath.map((r) => `${r.type.split(":").pop()} ${r.name}`).join(" → ")}`);
    return lines.join("\n");
}

/** The plan as JSON for machines: everything but the raw evaluation. */
export function planJson(plan: StackPlan): Omit<StackPlan, "evaluation"> {
    return Object.fromEntries(Object.entries(plan).filter(([key]) => key !== "evaluation")) as Omit<StackPlan, "evaluation">;
}

import { CostTags } from "../components/tags";
import { show } from "../components/validation";
import { StackConfigError, parseRoleConfig, pavedConfig, tagsOf } from "./config-problems";
import { checkCloudRules } from "./config-rules";
import { previewTopLevel } from "./config-schema";

/** A per-PR stack: namespace-level resources on the shared cluster of another stack. */
export interface PreviewConfig {
    readonly stack: string;
    readonly role: "preview";
    readonly cloud: "aws" | "gcp";
    readonly environment: string;
    readonly region: string;
    readonly domain: string;
    readonly tags: CostTags;
    readonly gcpProject?: string;
    /** The stack whose cluster and Gateway the PR uses (read through a StackReference). */
    readonly clusterStack: string;
    readonly pr: number;
    readonly managedZone: string;
}

export interface PreviewLoadOptions {
    readonly stack: string;
    readonly isSecret?: (key: string) => boolean;
    /** Whether a stack has its `Pulumi.<stack>.yaml` in this repository. */
    readonly stackExists: (stack: string) => boolean;
    /** Another stack's config as its file declares it, to check it builds a cluster; unchecked when absent. */
    readonly peerConfig?: (stack: string) => Readonly<Record<string, string>> | undefined;
}

/** PR stacks are named `pr-<number>`; the `pr` template itself stands for PR 1 until copied. */
export function prNumberOf(stack: string): number | undefined {
    const match = /^pr-(\d+)$/.exec(stack);
    return match ? Number(match[1]) : stack === "pr" ? 1 : undefined;
}

/** Reads and validates a preview stack's config; one `StackConfigError` lists every bad key. */
export function loadPreviewConfig(allConfig: Readonly<Record<string, string>>, options: PreviewLoadOptions): PreviewConfig {
    const { data: c, raw, problems } = parseRoleConfig(previewTopLevel, allConfig, options);
    checkCloudRules(problems, raw, false);
    if (!c) {
        problems.throwIfAny();
        throw new StackConfigError(`Pulumi.${options.stack}.yaml`, problems.list);
    }
    const clusterStack = c.preview.clusterStack;
    if (!options.stackExists(clusterStack)) {
        problems.add("preview.clusterStack", `got ${show(clusterStack)}: there is no Pulumi.${clusterStack}.yaml in this repository to reference; e.g. "dev"`);
    } else if (options.peerConfig) {
        // The PR's namespace, Gateway route and record live on that stack's cluster: it must build one, on this cloud.
        const peer = pavedConfig(options.peerConfig(clusterStack) ?? {});
        if (peer.role !== "regional") {
            problems.add("preview.clusterStack", `got ${show(clusterStack)}, a ${show(peer.role ?? "nothing")} stack without a cluster: name a regional stack, e.g. "dev"`);
        } else if (peer.cloud !== c.cloud) {
            problems.add("preview.clusterStack", `got ${show(clusterStack)}, a ${show(peer.cloud)} stack: a preview runs on its own cloud's cluster; name a ${c.cloud} regional stack, e.g. "dev"`);
        }
    }
    const pr = c.preview.pr ?? prNumberOf(options.stack);
    if (pr === undefined) problems.add("preview.pr", `missing: name the stack pr-<number> or set paved:preview.pr, e.g. 123`);
    if (c.cloud === "gcp" && !c.gcpProject) problems.add("gcpProject", "missing: a GCP stack must name its project; e.g. acme-platform-dev");
    problems.throwIfAny();
    return {
        stack: options.stack,
        role: "preview",
        cloud: c.cloud,
        environment: c.environment,
        region: c.region,
        domain: c.domain,
        tags: tagsOf(c),
        gcpProject: c.gcpProject,
        clusterStack: c.preview.clusterStack,
        pr: pr!,
        managedZone: c.preview.managedZone ?? c.domain.replace(/\./g, "-"),
    };
}

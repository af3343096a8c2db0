import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { PavedPolicyConfig } from "../../policy/policies";
import { enforcementLevelOf } from "../driver/policy-config";
import { RecordedResource, reveal } from "./recorder";

/** One policy's finding on one resource, at the level the policy runs at for the stack. */
export interface PolicyViolation {
    readonly policy: string;
    readonly level: "mandatory" | "advisory";
    readonly urn: string;
    readonly message: string;
}

/** The policy server's own wrapper: reading an unknown value throws, as during a real preview. */
const unknownCheckingProxy = (policyProxy as unknown as { unknownCheckingProxy: <T>(value: T) => T }).unknownCheckingProxy;

/**
 * The arguments the policy server hands a resource policy: secrets unwrapped (the server does not
 * proxy them), props behind its unknown-checking proxy, type checks by Pulumi type token.
 */
export function policyArgs(resource: Pick<RecordedResource, "type" | "name" | "urn" | "inputs">, config: PavedPolicyConfig = {}): ResourceValidationArgs {
    const props = unknownCheckingProxy(reveal(resource.inputs) as Record<string, unknown>);
    const isType = (cls: { new (...rest: never[]): unknown }) => (cls as unknown as { __pulumiType?: string }).__pulumiType === resource.type;
    return {
        type: resource.type,
        props,
        urn: resource.urn,
        name: resource.name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(),
        isType,
        asType: (cls: { new (...rest: never[]): unknown }) => (isType(cls) ? props : undefined),
        getConfig: <T extends object>() => config as T,
        notApplicable: (reason?: string): never => {
            throw Object.assign(new Error(reason ?? "not applicable"), { notApplicable: true });
        },
    } as unknown as ResourceValidationArgs;
}

/**
 * Runs resource policies over a stack's recorded resources. Every policy is mandatory in
 * production and advisory elsewhere, as the runner configures the pack per stack.
 */
export async function checkPolicies(
    resources: readonly RecordedResource[],
    policies: readonly ResourceValidationPolicy[],
    config: PavedPolicyConfig,
): Promise<PolicyViolation[]> {
    const violations: PolicyViolation[] = [];
    for (const resource of resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"))) {
        for (const p of policies) {
            const level = enforcementLevelOf(p, config.production === true) === "mandatory" ? "mandatory" : "advisory";
            const validations = p.validateResource === undefined ? [] : Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const validate of validations) {
                try {
                    await validate(policyArgs(resource, config), (message, urn) => violations.push({ policy: p.name, level, urn: urn ?? resource.urn, message }));
                } catch (e) {
                    if ((e as { notApplicable?: boolean }).notApplicable) continue;
                    throw e;
                }
            }
        }
    }
    return violations;
}

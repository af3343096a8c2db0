import { ResourceValidationPolicy } from "@pulumi/policy";
import { policyArgs } from "../../automation/offline/policy-check";

/** Runs one policy on one resource exactly as the policy server would hand it over; returns the messages. */
export async function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, config = {}): Promise<string[]> {
    const messages: string[] = [];
    const validate = policy.validateResource as (args: unknown, report: (m: string) => void) => Promise<void> | void;
    await validate(policyArgs({ type, name: "r", urn: `urn:pulumi:test::paved::${type}::r`, inputs: props }, config), (m) => messages.push(m));
    return messages;
}

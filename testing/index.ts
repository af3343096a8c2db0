/**
 * `paved-road/testing`: run a team's stack program offline in a unit test (mocha or any other), under
 * the same strict mocks the platform tests its own stacks with, and assert on what the components
 * registered. No Pulumi CLI, no credentials, no network. The mocks answer what the components read
 * back from the cloud (an EKS node group's Auto Scaling group, cluster endpoints and CA data, ARNs,
 * e-mails), and fail on a look-up they do not know, naming its token.
 *
 * ```ts
 * const run = await evaluateProgram({ project: "team-a", stack: "dev", config: { "aws:region": "eu-west-1" } }, () => { new EksCluster(...); });
 * const pools = run.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup");
 * const violations = await checkPolicies(run.resources, PLATFORM_POLICIES, { production: false });
 * ```
 */
export { evaluateProgram, evaluateStack, StackEvaluationError } from "../automation/offline/evaluate";
export type { ProgramSettings, StackEvaluation, StackProgram } from "../automation/offline/evaluate";
export { OfflineMocks } from "../automation/offline/mocks";
export { Recorder, isSecret, reveal } from "../automation/offline/recorder";
export type { RecordedResource } from "../automation/offline/recorder";
export { checkPolicies } from "../automation/offline/policy-check";
export type { PolicyViolation } from "../automation/offline/policy-check";

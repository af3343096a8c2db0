/* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand by design, see below */
/**
 * The commands' modules, each loaded when a command that needs it runs. Loaded up front they cost
 * about 1 CPU-s and 200 MB at every start of `paved` (Pulumi's SDK, the Automation API, the clouds'
 * SDKs), even for --version, --help or a usage error. `require` keeps loading synchronous and
 * CommonJS from dist/ and under tsx alike (a dynamic import() would go through the ES module loader,
 * which tsx/cjs does not hook); `typeof import` keeps each module's types.
 */
export const load = {
    configProblems: () => require("../stacks/config-problems") as typeof import("../stacks/config-problems"),
    reconciler: () => require("../stacks/reconciler") as typeof import("../stacks/reconciler"),
    pulumiDriver: () => require("./driver/pulumi-driver") as typeof import("./driver/pulumi-driver"),
    cloudRulesSdk: () => require("./driver/cloud-rules-sdk") as typeof import("./driver/cloud-rules-sdk"),
    evaluate: () => require("./offline/evaluate") as typeof import("./offline/evaluate"),
    plan: () => require("./plan/plan-command") as typeof import("./plan/plan-command"),
    trace: () => require("./trace/trace-command") as typeof import("./trace/trace-command"),
    deployRing: () => require("./runner/deploy-ring") as typeof import("./runner/deploy-ring"),
    drift: () => require("./runner/drift-command") as typeof import("./runner/drift-command"),
    driftPolicy: () => require("./runner/drift-policy") as typeof import("./runner/drift-policy"),
    drill: () => require("./runner/drill-command") as typeof import("./runner/drill-command"),
    prCommands: () => require("./runner/pr-commands") as typeof import("./runner/pr-commands"),
    prStacks: () => require("./runner/pr-stacks") as typeof import("./runner/pr-stacks"),
    rings: () => require("./runner/rings") as typeof import("./runner/rings"),
    runnerEnv: () => require("./runner/runner-env") as typeof import("./runner/runner-env"),
    stackCommands: () => require("./runner/stack-commands") as typeof import("./runner/stack-commands"),
    wake: () => require("./runner/wake") as typeof import("./runner/wake"),
    operatorCommand: () => require("./runner/operator-command") as typeof import("./runner/operator-command"),
};

/**
 * `paved-road/policy`: the platform's rules for a team's own stacks, both ways. Pulumi enforces the
 * pack on every preview and update (`pulumi up --policy-pack node_modules/paved-road/policy-pack
 * --policy-pack-config <file with policyPackConfig(production)>`); or a unit test applies
 * `PLATFORM_POLICIES` to what a program registered (`checkPolicies` of `paved-road/testing`).
 * Importing this module starts nothing: the pack's server runs only when Pulumi loads the folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export { PLATFORM_POLICIES } from "./policies";
export type { PavedPolicyConfig } from "./policies";
export { policyPackConfig } from "../automation/driver/policy-config";

/** The folder holding the policy pack (PulumiPolicy.yaml and the compiled pack), the package's own `policy-pack/`. */
export const POLICY_PACK_DIR: string = packDir();

function packDir(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const candidate = path.join(dir, "policy-pack");
        if (fs.existsSync(path.join(candidate, "PulumiPolicy.yaml"))) return candidate;
    }
    throw new Error(`paved-road/policy: no policy-pack/PulumiPolicy.yaml above ${__dirname}; the package is incomplete, reinstall it`);
}

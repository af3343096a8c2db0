// The policy pack Pulumi runs with `--policy-pack policy` (the runner passes it on every up and
// preview, with `--policy-pack-config` from automation/driver/policy-config.ts): every policy is
// advisory outside production and at its own level (mandatory) in production; each gets
// `production` through its configSchema. @pulumi/policy reads the pack's version from
// policy/package.json; Pulumi's policy host compiles this file with policy/tsconfig.json.
import { PolicyPack } from "@pulumi/policy";
import { PLATFORM_POLICIES } from "./policies";

new PolicyPack("paved-platform", { policies: [...PLATFORM_POLICIES] });

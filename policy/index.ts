// The policy pack Pulumi runs with `--policy-pack policy` (the runner passes it on every up and
// preview). Each stack's policy config decides enforcement: mandatory in production, advisory elsewhere.
import { PolicyPack } from "@pulumi/policy";
import { PLATFORM_POLICIES } from "./policies";

new PolicyPack("paved-platform", { policies: [...PLATFORM_POLICIES] });

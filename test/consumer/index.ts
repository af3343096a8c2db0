// The team's Pulumi program: `pulumi up` runs this file (Pulumi.yaml `main`, compiled to bin/).
import { teamStack } from "./team";

export const { kubeconfig, grafanaAdminSecret } = teamStack();

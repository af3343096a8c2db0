/**
 * Kubeconfigs with exec credentials: whoever uses one authenticates as themselves through their
 * cloud CLI at the moment of use, so the file holds no token that could leak or expire.
 */

interface ExecUser {
    command: string;
    args?: string[];
    env?: { name: string; value: string }[];
    installHint: string;
    provideClusterInfo?: boolean;
}

export interface KubeconfigArgs {
    readonly name: string;
    readonly endpoint: string;
    /** Base64 PEM of the cluster CA, as both clouds report it. */
    readonly certificateAuthorityData: string;
}

function kubeconfig(args: KubeconfigArgs, user: ExecUser): string {
    const config = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: args.name,
                cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthorityData },
            },
        ],
        contexts: [{ name: args.name, context: { cluster: args.name, user: args.name } }],
        "current-context": args.name,
        users: [
            {
                name: args.name,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        interactiveMode: "Never",
                        ...user,
                    },
                },
            },
        ],
    };
    return JSON.stringify(config, undefined, 2);
}

/** EKS: `aws eks get-token` mints a short-lived token from the caller's AWS identity. */
export function eksKubeconfig(args: KubeconfigArgs & { readonly region: string }): string {
    return kubeconfig(args, {
        command: "aws",
        args: ["--region", args.region, "eks", "get-token", "--cluster-name", args.name, "--output", "json"],
        installHint: "Install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
    });
}

/** GKE: `gke-gcloud-auth-plugin` uses the caller's gcloud credentials. */
export function gkeKubeconfig(args: KubeconfigArgs): string {
    return kubeconfig(args, {
        command: "gke-gcloud-auth-plugin",
        installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
        provideClusterInfo: true,
    });
}

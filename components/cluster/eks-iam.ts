/** IAM documents and managed-policy names for EKS, kept pure so they are tested without Pulumi. */

export function assumeRolePolicy(service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: [...actions] }],
    });
}

/** EKS Pod Identity: the agent assumes the role on behalf of one ServiceAccount and tags the session. */
export const POD_IDENTITY_TRUST = assumeRolePolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);
export const CLUSTER_TRUST = assumeRolePolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]);
export const NODE_TRUST = assumeRolePolicy("ec2.amazonaws.com");

export function managedPolicyArn(partition: string, name: string): string {
    return `arn:${partition}:iam::aws:policy/${name}`;
}

export const CLUSTER_POLICIES = ["AmazonEKSClusterPolicy"];
/**
 * Node role: join the cluster and pull images, nothing else. No AmazonSSMManagedInstanceCore: SSM
 * Session Manager is a shell into the node, and the platform allows no remote shell of any kind.
 * The CNI policy is not here either: vpc-cni gets it through its own Pod Identity role.
 */
export const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"];

export function clusterAdminPolicyArn(partition: string): string {
    return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/** Managed add-ons, in install order, with the ServiceAccount and policy of those that call AWS. */
export interface AddonSpec {
    readonly name: string;
    /** Installed only once nodes exist (their pods would stay Pending and the add-on Degraded). */
    readonly needsNodes: boolean;
    readonly podIdentity?: { readonly serviceAccount: string; readonly policy: string };
}

export const EKS_ADDONS: readonly AddonSpec[] = [
    { name: "vpc-cni", needsNodes: false, podIdentity: { serviceAccount: "aws-node", policy: "AmazonEKS_CNI_Policy" } },
    { name: "kube-proxy", needsNodes: false },
    { name: "eks-pod-identity-agent", needsNodes: false },
    { name: "coredns", needsNodes: true },
    {
        name: "aws-ebs-csi-driver",
        needsNodes: true,
        podIdentity: { serviceAccount: "ebs-csi-controller-sa", policy: "service-role/AmazonEBSCSIDriverPolicy" },
    },
];

/**
 * IRSA: a role one ServiceAccount assumes with its projected token. Used where the workload's SDK
 * predates EKS Pod Identity (Loki's and Tempo's object-store clients speak web identity).
 */
export function irsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
        }],
    });
}

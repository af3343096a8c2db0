import * as ec2 from "@pulumi/aws/ec2";
import type * as inputs from "@pulumi/aws/types/input";
import * as pulumi from "@pulumi/pulumi";

/**
 * The launch template every EKS node group of the platform uses: IMDSv2 only with one hop (pods
 * cannot reach the node's credentials; add-ons use Pod Identity), an encrypted gp3 root volume, no
 * key pair, and the platform's node security group. A managed node group whose launch template
 * names security groups gets exactly those (EKS adds its cluster security group only when the
 * template names none), so the nodes' firewall is the one the platform declares.
 */
export function nodeLaunchTemplate(
    name: string,
    args: {
        readonly description: string;
        readonly diskSizeGiB: number;
        readonly tags: Record<string, string>;
        /** The platform's node security group (components/cluster/security-groups.ts), or a given cluster's. */
        readonly securityGroupIds: pulumi.Input<string>[];
    },
    opts: pulumi.CustomResourceOptions,
): ec2.LaunchTemplate {
    return new ec2.LaunchTemplate(name, {
        description: args.description,
        // None named: EKS attaches the cluster security group (a pool joining a cluster made elsewhere).
        vpcSecurityGroupIds: args.securityGroupIds.length > 0 ? args.securityGroupIds : undefined,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        blockDeviceMappings: [{
            deviceName: "/dev/xvda",
            ebs: { volumeSize: args.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
        }],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: args.tags })),
        updateDefaultVersion: true,
        tags: args.tags,
    }, opts);
}

/** The launch template reference a node group takes. */
export function launchTemplateRef(template: ec2.LaunchTemplate): inputs.eks.NodeGroupLaunchTemplate {
    return { id: template.id, version: template.latestVersion.apply(String) };
}

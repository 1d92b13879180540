import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { EksPlatformSpec } from "../../catalog";
import { publicAccessProblem } from "../../catalog/cidr";
import type { WorkloadArgs } from "../../workload";

/** Every control-plane log type EKS offers. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

const ACCESS_POLICY = {
    admin: "AmazonEKSClusterAdminPolicy",
    view: "AmazonEKSViewPolicy",
} as const;

/** The API endpoint settings: private always; public only for the listed CIDRs. */
export function endpointAccess(platform: EksPlatformSpec): {
    endpointPrivateAccess: true;
    endpointPublicAccess: boolean;
    publicAccessCidrs?: string[];
} {
    const cidrs = platform.publicAccessCidrs;
    if (cidrs.some(c => /\/0$/.test(c))) {
        throw new Error(`platform.eks.publicAccessCidrs: ${cidrs.join(", ")} opens the API to the whole internet`);
    }
    const problem = publicAccessProblem(cidrs);
    if (problem) {
        throw new Error(`platform.eks.publicAccessCidrs: ${problem}`);
    }
    return cidrs.length === 0
        ? { endpointPrivateAccess: true, endpointPublicAccess: false }
        : { endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: [...cidrs] };
}

/** The cluster's name: account-wide, so scoped by the environment. */
export function clusterNameOf(args: WorkloadArgs): string {
    return `${args.environmentName}-${args.spec.name}`;
}

/**
 * The control plane (`eks.Cluster`): private API endpoint (public only to
 * listed CIDRs), access entries only (authenticationMode API), every
 * control-plane log to a retained, encrypted log group created first,
 * secrets encrypted with the platform key.
 */
export function createControlPlane(name: string, args: WorkloadArgs, parent: pulumi.Resource): eks.Cluster {
    const { platform, account } = args;
    const clusterName = clusterNameOf(args);
    // EKS creates /aws/eks/<cluster>/cluster unencrypted and kept forever
    // unless it exists first: create it with the platform's retention and key.
    const controlPlaneLogs = new aws.cloudwatch.LogGroup(`${name}-control-plane`, {
        name: `/aws/eks/${clusterName}/cluster`,
        retentionInDays: platform.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
        tags: args.tags,
    }, { parent });

    return new eks.Cluster(`${name}-eks`, {
        name: clusterName,
        version: platform.eks.version,
        vpcId: args.vpcId,
        privateSubnetIds: args.subnetIds,
        ...endpointAccess(platform.eks),
        authenticationMode: eks.AuthenticationMode.Api,
        enabledClusterLogTypes: EKS_LOG_TYPES,
        encryptionConfigKeyArn: args.kmsKeyArn,
        skipDefaultNodeGroup: true,
        // Without its own security groups the component adds none (its
        // default cluster group has an allow-all egress rule); nodes and
        // control plane then share the cluster security group EKS creates.
        skipDefaultSecurityGroups: true,
        nodeAssociatePublicIpAddress: false,
        createOidcProvider: false,
        // vpc-cni and kube-proxy come as managed add-ons from the component,
        // coredns (which needs nodes) from this component after the node group.
        bootstrapSelfManagedAddons: false,
        corednsAddonOptions: { enabled: false },
        // A shard in another account is created through a provider that assumes a role there, which
        // EKS makes the cluster's admin; kubectl's token must be that role's too (pulumi-eks v4.3.0
        // nodejs/eks/cluster/cluster.ts generateKubeconfig adds `--role` to `aws eks get-token`).
        ...(account.roleArn ? { providerCredentialOpts: { roleArn: account.roleArn } } : {}),
        tags: args.tags,
    }, { parent, dependsOn: [controlPlaneLogs] });
}

/** Cluster access only through IAM access entries: admins and viewers from the platform settings. */
export function createAccessEntries(name: string, args: WorkloadArgs, clusterName: pulumi.Input<string>, parent: pulumi.Resource): void {
    const eksPlatform = args.platform.eks;
    const grants: { principal: string; kind: keyof typeof ACCESS_POLICY }[] = [
        ...eksPlatform.adminRoleArns.map(principal => ({ principal, kind: "admin" as const })),
        ...eksPlatform.viewRoleArns.map(principal => ({ principal, kind: "view" as const })),
    ];
    for (const { principal, kind } of grants) {
        const policy = ACCESS_POLICY[kind];
        const id = `${kind}-${accessEntryName(principal)}`;
        const entry = new aws.eks.AccessEntry(`${name}-access-${id}`, {
            clusterName,
            principalArn: principal,
            type: "STANDARD",
            tags: args.tags,
        }, { parent });
        new aws.eks.AccessPolicyAssociation(`${name}-access-${id}`, {
            clusterName,
            principalArn: entry.principalArn,
            policyArn: pulumi.interpolate`arn:${args.account.partition}:eks::aws:cluster-access-policy/${policy}`,
            accessScope: { type: "cluster" },
        }, { parent });
    }
}

/**
 * A resource name for a principal's access entry, from its ARN (never a list
 * position): `arn:aws:iam::123456789012:role/ops/admin` → `123456789012-role-ops-admin`.
 */
export function accessEntryName(principalArn: string): string {
    const m = /^arn:[^:]+:iam::(\d{12}):(.+)$/.exec(principalArn);
    const tail = m ? `${m[1]}-${m[2]}` : principalArn;
    return tail.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").toLowerCase();
}

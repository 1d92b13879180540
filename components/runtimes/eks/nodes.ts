import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../catalog";
import { policyDocument } from "../../shared";
import type { WorkloadArgs } from "../../workload";
import { instanceArchitecture } from "../instances";
import { nodePortFor } from "./binding";

/** AWS-managed policies a managed node group's role needs (kubelet, VPC CNI, image pulls). */
export const NODE_MANAGED_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEKS_CNI_Policy",
    "AmazonEC2ContainerRegistryPullOnly",
];

/** The add-ons that run on nodes: cluster DNS (the environment's endpoint names), the Pod Identity agent, metrics for the pod autoscaler. */
export const NODE_ADDONS = ["coredns", "eks-pod-identity-agent", "metrics-server"];

/** The nodes' role and what it is allowed: the role pulls the service's images. */
export interface NodeIdentity {
    nodeRole: aws.iam.Role;
    /** The role's policies: the node group is created after and deleted before them. */
    policies: pulumi.Resource[];
}

/** The managed node group and its registration with the PrivateLink NLB. */
export interface Nodes {
    nodeGroup: aws.eks.NodeGroup;
    nodePort: number;
}

/** The managed node group's AMI type for its instance types (they must share an architecture). */
export function amiTypeFor(instanceTypes: string[]): string {
    const arm = instanceTypes.filter(t => instanceArchitecture(t) === "arm64");
    if (arm.length > 0 && arm.length < instanceTypes.length) {
        throw new Error(`instanceTypes mix arm64 and x86_64 (${instanceTypes.join(", ")}): one node group runs one architecture`);
    }
    if (arm.length > 0) {
        return "AL2023_ARM_64_STANDARD";
    }
    return instanceTypes.some(t => /^(g|p)\d/.test(t)) ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD";
}

/** Node group size from the catalog's `capacity`; at least one node runs (no cluster autoscaler). */
export function nodeGroupScaling(spec: ServiceSpec): { minSize: number; maxSize: number; desiredSize: number } {
    const capacity = spec.capacity ?? { min: 1, max: 2 };
    return { minSize: capacity.min, maxSize: capacity.max, desiredSize: Math.max(capacity.min, 1) };
}

/** The service's instance types; the catalog requires them. */
export function nodeInstanceTypes(spec: ServiceSpec): string[] {
    if (!spec.instanceTypes || spec.instanceTypes.length === 0) {
        throw new Error(`${spec.name}: runtime eks needs instanceTypes`);
    }
    return spec.instanceTypes;
}

/**
 * The nodes' role: kubelet, VPC CNI and image pulls through AWS-managed
 * policies, and inside this account only the service's own repository.
 */
export function createNodeIdentity(name: string, args: WorkloadArgs, parent: pulumi.Resource): NodeIdentity {
    const { spec, account } = args;
    const nodeRole = new aws.iam.Role(`${name}-nodes`, {
        description: `EKS nodes of ${spec.name}: kubelet, VPC CNI and image pulls`,
        // EC2 cannot be made a confused deputy across accounts (passing a
        // role to an instance needs iam:PassRole in the role's own account)
        // and sets no aws:SourceAccount for instance profiles, so the
        // trust carries no condition.
        assumeRolePolicy: policyDocument([
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]),
        tags: args.tags,
    }, { parent });
    const managed = NODE_MANAGED_POLICIES.map(policy =>
        new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, {
            role: nodeRole.name,
            policyArn: pulumi.interpolate`arn:${account.partition}:iam::aws:policy/${policy}`,
        }, { parent }));
    // AmazonEC2ContainerRegistryPullOnly reaches every repository: the
    // add-on images live in AWS-owned registries whose accounts differ by
    // region. Inside this account, nodes pull only this service's images.
    const ownImages = new aws.iam.RolePolicy(`${name}-nodes-own-images`, {
        role: nodeRole.id,
        policy: policyDocument([{
            Sid: "OnlyOwnRepositoryInThisAccount",
            Effect: "Deny",
            Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            NotResource: args.repositoryArn,
            Condition: { StringEquals: { "aws:ResourceAccount": account.accountId } },
        }]),
    }, { parent });
    return { nodeRole, policies: [...managed, ownImages] };
}

/**
 * The managed node group in the private subnets, from a launch template that
 * requires IMDSv2 with hop limit 1 and encrypts its volumes, with the
 * NodePort open to the VPC; its Auto Scaling group registers every node, on
 * the NodePort, with the PrivateLink NLB's instance target group.
 */
export function createNodes(
    name: string,
    args: WorkloadArgs,
    cluster: eks.Cluster,
    identity: NodeIdentity,
    parent: pulumi.Resource,
): Nodes {
    const { spec } = args;
    const instanceTypes = nodeInstanceTypes(spec);
    const nodePort = nodePortFor(spec.port);
    const nodePortSg = new aws.ec2.SecurityGroup(`${name}-nodeport`, {
        vpcId: args.vpcId,
        description: `${spec.name} NodePort ${nodePort} from the NLB nodes in this VPC`,
        ingress: [{
            protocol: "tcp",
            fromPort: nodePort,
            toPort: nodePort,
            cidrBlocks: [args.vpcCidr],
            description: "NodePort from the NLB nodes (traffic and health checks)",
        }],
        egress: [],
        tags: { ...args.tags, Name: `${spec.name}-nodeport` },
    }, { parent });

    const launchTemplate = new aws.ec2.LaunchTemplate(`${name}-nodes`, {
        description: `EKS nodes of ${spec.name}`,
        metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            // One hop: processes on the node reach IMDS, pods (one hop further) do not.
            httpPutResponseHopLimit: 1,
        },
        blockDeviceMappings: [{
            deviceName: "/dev/xvda",
            ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3", deleteOnTermination: "true" },
        }],
        // The cluster security group (control plane <-> nodes, node <-> node),
        // the workload group (its egress to endpoints and consumed services;
        // consumer endpoints admit only it) and the NodePort group.
        vpcSecurityGroupIds: [cluster.clusterSecurityGroupId, args.securityGroupId, nodePortSg.id],
        tagSpecifications: [
            { resourceType: "instance", tags: { ...args.tags, Name: `${spec.name}-node` } },
            { resourceType: "volume", tags: args.tags },
        ],
        updateDefaultVersion: true,
        tags: args.tags,
    }, { parent });

    const nodeGroup = new aws.eks.NodeGroup(`${name}-nodes`, {
        clusterName: cluster.eksCluster.name,
        nodeRoleArn: identity.nodeRole.arn,
        subnetIds: args.subnetIds,
        instanceTypes,
        amiType: amiTypeFor(instanceTypes),
        capacityType: "ON_DEMAND",
        scalingConfig: nodeGroupScaling(spec),
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
        labels: { "privatelink/service": spec.name },
        tags: args.tags,
    }, {
        parent,
        ignoreChanges: ["scalingConfig.desiredSize"],
        // Nodes join the cluster only with the role's policies attached (kubelet,
        // VPC CNI, image pulls), and EKS needs them to drain and delete nodes:
        // the node group is created after and deleted before its role's
        // policies (the provider's documented pattern for aws.eks.NodeGroup:
        // "Ensure that IAM Role permissions are created before and deleted
        // after EKS Node Group handling").
        dependsOn: identity.policies,
    });

    // The node group's Auto Scaling group registers every node, on the
    // NodePort, with the PrivateLink NLB's instance target group.
    new aws.autoscaling.Attachment(`${name}-nlb`, {
        autoscalingGroupName: nodeGroup.resources.apply(r => r[0].autoscalingGroups[0].name),
        lbTargetGroupArn: args.link.targetGroup.arn,
    }, { parent, dependsOn: [args.link.listener] });

    return { nodeGroup, nodePort };
}

/** Managed add-ons that run on nodes (NODE_ADDONS), once the node group exists. */
export function createNodeAddons(name: string, args: WorkloadArgs, clusterName: pulumi.Input<string>, nodeGroup: aws.eks.NodeGroup, parent: pulumi.Resource): aws.eks.Addon[] {
    return NODE_ADDONS.map(addonName =>
        new aws.eks.Addon(`${name}-${addonName}`, {
            clusterName,
            addonName,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
            tags: args.tags,
        }, { parent, dependsOn: [nodeGroup] }));
}

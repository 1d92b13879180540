import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imagePending, ServiceSpec } from "../../catalog";
import { policyDocument } from "../../shared";
import type { Workload, WorkloadArgs } from "../../workload";
import { createEcsService, createTaskDefinition, ecsCluster, ecsCpuScaling, EcsCore, ecsTaskIdentity } from "../ecs";
import { instanceArchitecture } from "../instances";

export type EcsEc2ServiceArgs = WorkloadArgs;

/** Hosts when the catalog gives no `capacity`. */
export const DEFAULT_CAPACITY = { min: 1, max: 2 } as const;

/** The ECS container instances' own identity: a role for the agent's calls and its instance profile. */
export interface HostIdentity {
    instanceRole: aws.iam.Role;
    profile: aws.iam.InstanceProfile;
}

/** The service's cluster capacity: the hosts' capacity provider and the strategy that places tasks on it. */
export interface HostCapacity {
    capacityProvider: aws.ecs.CapacityProvider;
    attachment: aws.ecs.ClusterCapacityProviders;
    strategy: { capacityProvider: pulumi.Output<string>; weight: number; base: number }[];
}

/** What an ECS on EC2 service is made of: the ECS core and its hosts. */
export interface EcsEc2Core extends EcsCore, HostIdentity {
    launchTemplate: aws.ec2.LaunchTemplate;
    autoScalingGroup: aws.autoscaling.Group;
    capacityProvider: aws.ecs.CapacityProvider;
}

/**
 * An ECS service on EC2 container instances the service owns: an Auto Scaling
 * group of ECS-optimized hosts (GPU AMI when the service asks for GPUs) in the
 * service VPC's private subnets, behind a capacity provider with managed
 * scaling; awsvpc tasks registered with the PrivateLink NLB (ip targets),
 * placed by the catalog's constraints and strategies.
 *
 * Three identities: the execution role (image pulls, logs), the task role
 * (the application) and the instance role (only the ECS agent's calls for
 * this cluster). Tasks cannot use the instance role: IMDS answers one hop
 * only and the agent blocks IMDS for awsvpc tasks.
 */
export class EcsEc2Service extends pulumi.ComponentResource implements Workload {
    public readonly cluster: aws.ecs.Cluster;
    public readonly executionRole: aws.iam.Role;
    public readonly taskRole: aws.iam.Role;
    public readonly instanceRole: aws.iam.Role;
    public readonly launchTemplate: aws.ec2.LaunchTemplate;
    public readonly autoScalingGroup: aws.autoscaling.Group;
    public readonly capacityProvider: aws.ecs.CapacityProvider;
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    public readonly service: aws.ecs.Service;
    public readonly pullRoleArn: pulumi.Output<string>;
    public readonly appRole: aws.iam.Role;

    constructor(name: string, args: EcsEc2ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:EcsEc2Service", name, {}, opts);
        const core = createEcsEc2Service(name, args, this);
        this.cluster = core.cluster;
        this.executionRole = core.executionRole;
        this.taskRole = core.taskRole;
        this.instanceRole = core.instanceRole;
        this.launchTemplate = core.launchTemplate;
        this.autoScalingGroup = core.autoScalingGroup;
        this.capacityProvider = core.capacityProvider;
        this.taskDefinition = core.taskDefinition;
        this.service = core.service;
        this.pullRoleArn = core.executionRole.arn;
        this.appRole = core.taskRole;
        this.registerOutputs({
            clusterArn: this.cluster.arn,
            serviceName: this.service.name,
            autoScalingGroupName: this.autoScalingGroup.name,
        });
    }
}

/** The cluster, the task's identity, the hosts and their capacity provider, the task definition, the service and its scaling. */
export function createEcsEc2Service(name: string, args: EcsEc2ServiceArgs, parent: pulumi.Resource): EcsEc2Core {
    const { spec } = args;
    instanceTypesOf(spec); // refused before anything is created
    const cluster = ecsCluster(name, args.tags, parent);
    const identity = ecsTaskIdentity(name, args, parent);
    const hostIdentity = createHostIdentity(name, args, cluster, parent);
    const hostsSg = createHostsSecurityGroup(name, args, parent);
    const launchTemplate = createHostLaunchTemplate(name, args, cluster, hostIdentity.profile, hostsSg, parent);
    const autoScalingGroup = createHostGroup(name, args, launchTemplate, parent);
    const capacity = createHostCapacity(name, args, cluster, autoScalingGroup, parent);
    const taskDefinition = createTaskDefinition(name, args, identity, { requiresCompatibilities: ["EC2"] }, {
        cpu: spec.cpu,
        memory: spec.memory,
        resourceRequirements: spec.gpus ? [{ type: "GPU", value: String(spec.gpus) }] : undefined,
    }, parent);
    const service = createEcsService(name, args, cluster, taskDefinition, {
        capacityProviderStrategies: capacity.strategy,
        placementConstraints: placementConstraints(spec),
        orderedPlacementStrategies: placementStrategies(spec),
    }, [capacity.attachment], parent);
    ecsCpuScaling(name, spec, cluster, service, args.tags, parent);
    return { cluster, ...identity, ...hostIdentity, launchTemplate, autoScalingGroup, capacityProvider: capacity.capacityProvider, taskDefinition, service };
}

/**
 * The instance role: only what the ECS agent calls, only for this cluster.
 * AmazonEC2ContainerServiceforEC2Role would add ECR pulls and log writes on
 * every repository and group of the account (the execution role does both
 * for awsvpc tasks), ecs:CreateCluster and ec2:DescribeTags (unused here),
 * all on "*".
 */
export function createHostIdentity(name: string, args: EcsEc2ServiceArgs, cluster: aws.ecs.Cluster, parent: pulumi.Resource): HostIdentity {
    const { spec, account } = args;
    const { accountId, region, partition } = account;
    const instanceRole = new aws.iam.Role(`${name}-instance`, {
        description: `ECS container instances of ${spec.name}: the ECS agent's calls for its own cluster`,
        // EC2 does not send aws:SourceAccount when it assumes an instance
        // profile's role; only principals allowed iam:PassRole on this
        // role can attach it to an instance.
        assumeRolePolicy: policyDocument([
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]),
        tags: args.tags,
    }, { parent });
    const containerInstances = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:container-instance/${cluster.name}/*`;
    new aws.iam.RolePolicy(`${name}-instance`, {
        role: instanceRole.id,
        policy: policyDocument(instanceRoleStatements(cluster.arn, containerInstances)),
    }, { parent });
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, {
        role: instanceRole.name,
        tags: args.tags,
    }, { parent });
    return { instanceRole, profile };
}

/**
 * The hosts' own ENIs reach only the AWS-service endpoints (ECS agent, image
 * pulls, awslogs run on the host) and S3 for image layers; nothing may
 * connect to them. Tasks have their own ENIs with the workload security group.
 */
export function createHostsSecurityGroup(name: string, args: EcsEc2ServiceArgs, parent: pulumi.Resource): aws.ec2.SecurityGroup {
    const { spec } = args;
    const s3 = aws.ec2.getManagedPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${args.account.region}.s3` }, { parent });
    return new aws.ec2.SecurityGroup(`${name}-hosts`, {
        vpcId: args.vpcId,
        description: `${spec.name} ECS hosts: no ingress; HTTPS to the VPC's AWS-service endpoints and S3 only`,
        ingress: [],
        egress: [
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: "AWS-service interface endpoints" },
            { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [s3.id], description: "S3 gateway endpoint (image layers)" },
        ],
        tags: { ...args.tags, Name: `${spec.name}-hosts` },
    }, { parent });
}

/** The hosts' launch template: the current ECS-optimized AMI, IMDSv2 with one hop, no public IP, encrypted volumes, the agent joined to this cluster. */
export function createHostLaunchTemplate(
    name: string,
    args: EcsEc2ServiceArgs,
    cluster: aws.ecs.Cluster,
    profile: aws.iam.InstanceProfile,
    hostsSg: aws.ec2.SecurityGroup,
    parent: pulumi.Resource,
): aws.ec2.LaunchTemplate {
    const { spec } = args;
    const types = instanceTypesOf(spec);
    const ami = aws.ssm.getParameterOutput({ name: amiParameter(spec) }, { parent });
    const hostTags = hostTagsOf(args);
    return new aws.ec2.LaunchTemplate(`${name}-hosts`, {
        description: `ECS hosts of ${spec.name}`,
        imageId: ami.value,
        instanceType: types.length === 1 ? types[0] : undefined,
        iamInstanceProfile: { arn: profile.arn },
        metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            // One hop: the ECS agent (host network) reaches IMDS; containers
            // behind a bridge cannot, and awsvpc tasks are blocked by the agent.
            httpPutResponseHopLimit: 1,
            instanceMetadataTags: "disabled",
        },
        networkInterfaces: [{
            deviceIndex: 0,
            associatePublicIpAddress: "false",
            deleteOnTermination: "true",
            securityGroups: [hostsSg.id],
        }],
        blockDeviceMappings: [{
            deviceName: "/dev/xvda",
            ebs: {
                volumeSize: spec.gpus ? 100 : 30,
                volumeType: "gp3",
                // The account's aws/ebs key: the Auto Scaling service-linked
                // role may use it without a grant in the platform key's policy.
                encrypted: "true",
                deleteOnTermination: "true",
            },
        }],
        monitoring: { enabled: true },
        userData: cluster.name.apply(c => Buffer.from(userData(c, spec)).toString("base64")),
        updateDefaultVersion: true,
        tagSpecifications: ["instance", "volume", "network-interface"].map(resourceType => ({ resourceType, tags: hostTags })),
        tags: args.tags,
    }, { parent });
}

/** The hosts' Auto Scaling group in the service's subnets: one instance type, or a mixed-instances policy over several. */
export function createHostGroup(name: string, args: EcsEc2ServiceArgs, launchTemplate: aws.ec2.LaunchTemplate, parent: pulumi.Resource): aws.autoscaling.Group {
    const { spec } = args;
    const types = instanceTypesOf(spec);
    const capacity = spec.capacity ?? DEFAULT_CAPACITY;
    const template = { launchTemplateId: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) };
    return new aws.autoscaling.Group(`${name}-hosts`, {
        vpcZoneIdentifiers: args.subnetIds,
        minSize: hostMinimum(spec),
        maxSize: capacity.max,
        // Managed termination protection needs instances protected from
        // scale-in: ECS decides which hosts are empty enough to go.
        protectFromScaleIn: true,
        // On destroy, terminate the (protected) hosts instead of waiting
        // for a scale-in that protection forbids. The service is gone by then.
        forceDelete: true,
        healthCheckType: "EC2",
        defaultInstanceWarmup: 120,
        ...(types.length === 1
            ? { launchTemplate: { id: template.launchTemplateId, version: template.version } }
            : {
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: template,
                        overrides: types.map(instanceType => ({ instanceType })),
                    },
                    instancesDistribution: {
                        onDemandBaseCapacity: 0,
                        onDemandPercentageAboveBaseCapacity: 100,
                        onDemandAllocationStrategy: "prioritized",
                    },
                },
            }),
        tags: asgTags(hostTagsOf(args)),
    }, { parent, ignoreChanges: ["desiredCapacity"] });
}

/** The capacity provider over the hosts (managed scaling, termination protection, draining), made the cluster's default. */
export function createHostCapacity(
    name: string,
    args: EcsEc2ServiceArgs,
    cluster: aws.ecs.Cluster,
    autoScalingGroup: aws.autoscaling.Group,
    parent: pulumi.Resource,
): HostCapacity {
    const capacityProvider = new aws.ecs.CapacityProvider(`${name}-capacity`, {
        name: capacityProviderName(args.environmentName, args.spec.name),
        autoScalingGroupProvider: {
            autoScalingGroupArn: autoScalingGroup.arn,
            managedTerminationProtection: "ENABLED",
            managedDraining: "ENABLED",
            managedScaling: {
                status: "ENABLED",
                targetCapacity: 100,
                minimumScalingStepSize: 1,
                maximumScalingStepSize: 10,
                instanceWarmupPeriod: 120,
            },
        },
        tags: args.tags,
    }, { parent });
    const strategy = [{ capacityProvider: capacityProvider.name, weight: 1, base: 0 }];
    const attachment = new aws.ecs.ClusterCapacityProviders(`${name}-capacity`, {
        clusterName: cluster.name,
        capacityProviders: [capacityProvider.name],
        defaultCapacityProviderStrategies: strategy,
    }, { parent });
    return { capacityProvider, attachment, strategy };
}

function hostTagsOf(args: EcsEc2ServiceArgs): Record<string, string> {
    return { ...args.tags, Name: `${args.spec.name}-ecs-host` };
}

/**
 * The hosts' minimum: none while the image is pending (GPU hosts with no task
 * cost the same as busy ones), the catalog's `capacity.min` once released.
 * desiredCapacity is left to the capacity provider (ignoreChanges), so the
 * release relies on EC2 Auto Scaling's rule for UpdateAutoScalingGroup: a new
 * MinSize larger than the group's current size, sent without DesiredCapacity,
 * sets DesiredCapacity to the new MinSize (EC2 Auto Scaling API Reference,
 * UpdateAutoScalingGroup). The tasks' own scale-out reaches the same hosts
 * through managed scaling.
 */
export function hostMinimum(spec: ServiceSpec): number {
    return imagePending(spec) ? 0 : (spec.capacity ?? DEFAULT_CAPACITY).min;
}

function instanceTypesOf(spec: ServiceSpec): string[] {
    if (!spec.instanceTypes || spec.instanceTypes.length === 0) {
        throw new Error(`${spec.name}: runtime ecs-ec2 needs instanceTypes`);
    }
    return spec.instanceTypes;
}

/**
 * The public SSM parameter holding the current ECS-optimized Amazon Linux
 * 2023 AMI for the service's hosts: the GPU variant (NVIDIA driver and
 * container toolkit, x86_64 only) when tasks ask for GPUs, arm64 for Graviton.
 * The Amazon Linux 2 ECS AMIs, GPU variant included, reached end of life on
 * 2026-06-30 and are not used.
 */
export function amiParameter(spec: ServiceSpec): string {
    const variant = spec.gpus ? "gpu/" : instanceArchitecture(instanceTypesOf(spec)[0]) === "arm64" ? "arm64/" : "";
    return `/aws/service/ecs/optimized-ami/amazon-linux-2023/${variant}recommended/image_id`;
}

/** The ECS agent's configuration: join this cluster, and no more than tasks need. */
export function userData(cluster: string, spec: ServiceSpec): string {
    const config = [
        `ECS_CLUSTER=${cluster}`,
        // awsvpc tasks get credentials from their task role only, never the host's.
        "ECS_AWSVPC_BLOCK_IMDS=true",
        "ECS_DISABLE_PRIVILEGED=true",
        ...(spec.gpus ? ["ECS_ENABLE_GPU_SUPPORT=true"] : []),
    ];
    return ["#!/bin/bash", "cat >> /etc/ecs/ecs.config <<'EOF'", ...config, "EOF", ""].join("\n");
}

/**
 * What the ECS agent calls, scoped to the service's cluster and its container
 * instances. DiscoverPollEndpoint has no resource-level permissions: AWS
 * requires "*".
 */
export function instanceRoleStatements(clusterArn: pulumi.Input<string>, containerInstances: pulumi.Input<string>) {
    return [
        {
            Sid: "DiscoverAgentEndpoints",
            Effect: "Allow" as const,
            Action: "ecs:DiscoverPollEndpoint",
            Resource: "*",
        },
        {
            Sid: "JoinOwnCluster",
            Effect: "Allow" as const,
            Action: [
                "ecs:DeregisterContainerInstance",
                "ecs:RegisterContainerInstance",
                "ecs:SubmitAttachmentStateChanges",
                "ecs:SubmitContainerStateChange",
                "ecs:SubmitTaskStateChange",
            ],
            Resource: clusterArn,
        },
        {
            Sid: "ActAsOwnContainerInstances",
            Effect: "Allow" as const,
            Action: ["ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState"],
            Resource: containerInstances,
        },
    ];
}

/** `placement.constraints` as ECS memberOf constraints. */
export function placementConstraints(spec: ServiceSpec): { type: string; expression: string }[] {
    return (spec.placement?.constraints ?? []).map(expression => ({ type: "memberOf", expression }));
}

const STRATEGIES: Record<string, { type: string; field?: string }> = {
    "spread:az": { type: "spread", field: "attribute:ecs.availability-zone" },
    "spread:instance": { type: "spread", field: "instanceId" },
    "binpack:memory": { type: "binpack", field: "memory" },
    "binpack:cpu": { type: "binpack", field: "cpu" },
    random: { type: "random" },
};

/** `placement.strategy` as ECS ordered placement strategies, in the catalog's order. */
export function placementStrategies(spec: ServiceSpec): { type: string; field?: string }[] {
    return (spec.placement?.strategy ?? []).map(s => ({ ...STRATEGIES[s] }));
}

/**
 * Capacity provider names are account-wide and may not start with "aws",
 * "ecs" or "fargate": a fixed prefix keeps any service name valid.
 */
export function capacityProviderName(environment: string, service: string): string {
    return `cp-${environment.replace(/[^A-Za-z0-9_-]/g, "-")}-${service}`.slice(0, 255);
}

/** Auto Scaling tags, propagated to the hosts; ECS adds AmazonECSManaged itself and expects to keep it. */
function asgTags(tags: Record<string, string>): aws.types.input.autoscaling.GroupTag[] {
    return [...Object.entries(tags), ["AmazonECSManaged", "true"]]
        .map(([key, value]) => ({ key, value, propagateAtLaunch: true }));
}

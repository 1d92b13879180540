import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../../catalog";
import type { Workload, WorkloadArgs } from "../../workload";
import { createEcsService, createTaskDefinition, ecsCluster, ecsCpuScaling, EcsCore, ecsTaskIdentity } from "../ecs";

export type FargateServiceArgs = WorkloadArgs;

/** What a Fargate service is made of: the ECS core alone. */
export type FargateCore = EcsCore;

/**
 * An ECS Fargate service in the service VPC's private subnets, without public
 * IPs, registered with the PrivateLink NLB (ip targets) and scaled on CPU.
 * The execution role may pull only from the service's repository and write
 * only to its log group; the task role starts with no permissions.
 */
export class FargateService extends pulumi.ComponentResource implements Workload {
    public readonly cluster: aws.ecs.Cluster;
    public readonly executionRole: aws.iam.Role;
    public readonly taskRole: aws.iam.Role;
    public readonly taskDefinition: aws.ecs.TaskDefinition;
    public readonly service: aws.ecs.Service;
    public readonly pullRoleArn: pulumi.Output<string>;
    public readonly appRole: aws.iam.Role;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:FargateService", name, {}, opts);
        const core = createFargateService(name, args, this);
        this.cluster = core.cluster;
        this.executionRole = core.executionRole;
        this.taskRole = core.taskRole;
        this.taskDefinition = core.taskDefinition;
        this.service = core.service;
        this.pullRoleArn = core.executionRole.arn;
        this.appRole = core.taskRole;
        this.registerOutputs({ clusterArn: this.cluster.arn, serviceName: this.service.name });
    }
}

/** The cluster, the task's identity and logs, its task definition on Fargate, the service and its CPU scaling. */
export function createFargateService(name: string, args: FargateServiceArgs, parent: pulumi.Resource): FargateCore {
    const { spec } = args;
    const cluster = ecsCluster(name, args.tags, parent);
    const identity = ecsTaskIdentity(name, args, parent);
    const taskDefinition = createTaskDefinition(name, args, identity, {
        requiresCompatibilities: ["FARGATE"],
        cpu: String(spec.cpu),
        memory: String(spec.memory),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: architectureOf(spec) },
    }, {}, parent);
    const service = createEcsService(name, args, cluster, taskDefinition, { launchType: "FARGATE", platformVersion: "LATEST" }, [], parent);
    ecsCpuScaling(name, spec, cluster, service, args.tags, parent);
    return { cluster, ...identity, taskDefinition, service };
}

/** The task's CPU architecture: an image built for linux/arm64 runs on Graviton, anything else on x86_64. */
export function architectureOf(spec: ServiceSpec): "ARM64" | "X86_64" {
    return typeof spec.image === "object" && spec.image.platform === "linux/arm64" ? "ARM64" : "X86_64";
}

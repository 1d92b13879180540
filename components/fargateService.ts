import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "./catalog";
import { containerDefinitions, ecsCluster, ecsCpuScaling, ecsServiceBase, ecsServiceOptions, ecsTaskIdentity, requireImage } from "./ecsTask";
import type { Workload, WorkloadArgs } from "./workload";

export { containerDefinitions, requireImage } from "./ecsTask";

export type FargateServiceArgs = WorkloadArgs;

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

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:runtime:FargateService", name, {}, opts);
        const { spec } = args;

        this.cluster = ecsCluster(name, args.tags, this);
        const { logGroup, executionRole, taskRole } = ecsTaskIdentity(name, args, this);
        this.executionRole = executionRole;
        this.taskRole = taskRole;

        this.taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
            family: `${args.environmentName}-${spec.name}`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(spec.cpu),
            memory: String(spec.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: architectureOf(spec) },
            executionRoleArn: this.executionRole.arn,
            taskRoleArn: this.taskRole.arn,
            containerDefinitions: containerDefinitions(spec, requireImage(args), args.environment, logGroup.name, args.account.region),
            tags: args.tags,
        }, { parent: this });

        this.service = new aws.ecs.Service(`${name}-service`, {
            ...ecsServiceBase(args, this.cluster, this.taskDefinition),
            launchType: "FARGATE",
            platformVersion: "LATEST",
        }, ecsServiceOptions(args, this));

        ecsCpuScaling(name, spec, this.cluster, this.service, args.tags, this);

        this.pullRoleArn = this.executionRole.arn;
        this.registerOutputs({ clusterArn: this.cluster.arn, serviceName: this.service.name });
    }
}

function architectureOf(spec: ServiceSpec): string {
    return typeof spec.image === "object" && spec.image.platform === "linux/arm64" ? "ARM64" : "X86_64";
}

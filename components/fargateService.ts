import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "./catalog";
import { policyDocument, serviceTrustPolicy } from "./shared";
import type { Workload, WorkloadArgs } from "./workload";

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
        const parent = { parent: this };
        const { spec, account } = args;
        const { accountId, region, partition } = account;

        this.cluster = new aws.ecs.Cluster(`${name}-cluster`, {
            settings: [{ name: "containerInsights", value: "enabled" }],
            tags: args.tags,
        }, parent);

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            retentionInDays: args.platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags: args.tags,
        }, parent);

        const taskSource = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:*`;
        this.executionRole = new aws.iam.Role(`${name}-execution`, {
            description: `ECS task execution role of ${spec.name}: image pulls and logs`,
            assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account, taskSource),
            tags: args.tags,
        }, parent);
        new aws.iam.RolePolicy(`${name}-execution`, {
            role: this.executionRole.id,
            policy: policyDocument([
                {
                    // GetAuthorizationToken has no resource-level permissions: AWS requires "*".
                    Sid: "RegistryLogin",
                    Effect: "Allow",
                    Action: "ecr:GetAuthorizationToken",
                    Resource: "*",
                },
                {
                    Sid: "PullOwnImages",
                    Effect: "Allow",
                    Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                    Resource: args.repositoryArn,
                },
                {
                    Sid: "WriteOwnLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                },
            ]),
        }, parent);

        this.taskRole = new aws.iam.Role(`${name}-task`, {
            description: `Application role of ${spec.name}; grant it only what the code calls`,
            assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account, taskSource),
            tags: args.tags,
        }, parent);

        this.taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
            family: `${args.stack}-${spec.name}`,
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: String(spec.cpu),
            memory: String(spec.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: architectureOf(spec) },
            executionRoleArn: this.executionRole.arn,
            taskRoleArn: this.taskRole.arn,
            containerDefinitions: containerDefinitions(spec, requireImage(args), args.environment, logGroup.name, region),
            tags: args.tags,
        }, parent);

        this.service = new aws.ecs.Service(`${name}-service`, {
            cluster: this.cluster.arn,
            taskDefinition: this.taskDefinition.arn,
            launchType: "FARGATE",
            platformVersion: "LATEST",
            desiredCount: spec.scaling.min,
            networkConfiguration: {
                subnets: args.subnetIds,
                securityGroups: [args.securityGroupId],
                assignPublicIp: false,
            },
            loadBalancers: [{ targetGroupArn: args.link.targetGroup.arn, containerName: spec.name, containerPort: spec.port }],
            healthCheckGracePeriodSeconds: 30,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            tags: args.tags,
        }, { parent: this, dependsOn: [args.link.listener], ignoreChanges: ["desiredCount"] });

        const target = new aws.appautoscaling.Target(`${name}-scaling`, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${this.cluster.name}/${this.service.name}`,
            minCapacity: spec.scaling.min,
            maxCapacity: spec.scaling.max,
            tags: args.tags,
        }, parent);
        new aws.appautoscaling.Policy(`${name}-cpu`, {
            policyType: "TargetTrackingScaling",
            serviceNamespace: target.serviceNamespace,
            scalableDimension: target.scalableDimension,
            resourceId: target.resourceId,
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                targetValue: spec.scaling.cpuTarget,
                scaleInCooldown: 120,
                scaleOutCooldown: 60,
            },
        }, parent);

        this.pullRoleArn = this.executionRole.arn;
        this.registerOutputs({ clusterArn: this.cluster.arn, serviceName: this.service.name });
    }
}

/** The image a container runtime runs; the catalog guarantees one. */
export function requireImage(args: WorkloadArgs): pulumi.Input<string> {
    if (args.imageUri === undefined) {
        throw new Error(`${args.spec.name}: runtime ${args.spec.runtime} needs an image`);
    }
    return args.imageUri;
}

function architectureOf(spec: ServiceSpec): string {
    return typeof spec.image === "object" && spec.image.platform === "linux/arm64" ? "ARM64" : "X86_64";
}

/** The task's single container, as the JSON string ECS expects. */
export function containerDefinitions(
    spec: ServiceSpec,
    image: pulumi.Input<string>,
    environment: Record<string, pulumi.Input<string>>,
    logGroupName: pulumi.Input<string>,
    region: pulumi.Input<string>,
): pulumi.Output<string> {
    const env = Object.keys(environment)
        .sort()
        .map(name => ({ name, value: environment[name] }));
    return pulumi.jsonStringify([{
        name: spec.name,
        image,
        essential: true,
        portMappings: [{ containerPort: spec.port, protocol: "tcp" }],
        environment: env,
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": spec.name },
        },
    }]);
}

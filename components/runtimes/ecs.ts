import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { imagePending, ServiceSpec } from "../catalog";
import { policyDocument, serviceTrustPolicy } from "../shared";
import type { WorkloadArgs } from "../workload";
import { ResolvedSecret, secretStatements } from "../serviceAccess";

/**
 * What every ECS runtime (Fargate, EC2) builds the same way: the cluster, the
 * log group, the execution and task roles, the container definition, the
 * service's PrivateLink registration and its CPU target tracking. Only the
 * capacity (Fargate or an Auto Scaling group) and placement differ.
 */

/** An ECS cluster with Container Insights. */
export function ecsCluster(name: string, tags: Record<string, string>, parent: pulumi.Resource): aws.ecs.Cluster {
    return new aws.ecs.Cluster(`${name}-cluster`, {
        settings: [{ name: "containerInsights", value: "enabled" }],
        tags,
    }, { parent });
}

export interface EcsTaskIdentity {
    logGroup: aws.cloudwatch.LogGroup;
    /** Image pulls from the service's own repository and log writes to its own group. */
    executionRole: aws.iam.Role;
    /** The application's identity; starts with no permissions. */
    taskRole: aws.iam.Role;
}

/** What every ECS service is made of, whatever its capacity. */
export interface EcsCore extends EcsTaskIdentity {
    cluster: aws.ecs.Cluster;
    taskDefinition: aws.ecs.TaskDefinition;
    service: aws.ecs.Service;
}

/**
 * The service's log group and its two ECS task roles. The execution role may
 * pull only from the service's repository and write only to its log group;
 * the task role starts with no permissions.
 */
export function ecsTaskIdentity(name: string, args: WorkloadArgs, parent: pulumi.Resource): EcsTaskIdentity {
    const opts = { parent };
    const { spec, account } = args;
    const { accountId, region, partition } = account;

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
        retentionInDays: args.platform.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
        tags: args.tags,
    }, opts);

    const taskSource = pulumi.interpolate`arn:${partition}:ecs:${region}:${accountId}:*`;
    const executionRole = new aws.iam.Role(`${name}-execution`, {
        description: `ECS task execution role of ${spec.name}: image pulls and logs`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account, taskSource),
        tags: args.tags,
    }, opts);
    new aws.iam.RolePolicy(`${name}-execution`, {
        role: executionRole.id,
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
            // The container's declared secrets, read by ECS at task start (catalog `secrets`).
            ...secretStatements(args.secrets ?? [], account),
        ]),
    }, opts);

    const taskRole = new aws.iam.Role(`${name}-task`, {
        description: `Application role of ${spec.name}; grant it only what the code calls`,
        assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account, taskSource),
        tags: args.tags,
    }, opts);

    return { logGroup, executionRole, taskRole };
}

/** The image a container runtime runs; the catalog guarantees one. */
export function requireImage(args: WorkloadArgs): pulumi.Input<string> {
    if (args.imageUri === undefined) {
        throw new Error(`${args.spec.name}: runtime ${args.spec.runtime} needs an image`);
    }
    return args.imageUri;
}

/** Container-level settings a launch type adds (EC2: cpu units, memory MiB, GPUs). */
export interface ContainerResources {
    cpu?: number;
    memory?: number;
    resourceRequirements?: { type: "GPU"; value: string }[];
}

/** The task's single container, as the JSON string ECS expects. */
export function containerDefinitions(
    spec: ServiceSpec,
    image: pulumi.Input<string>,
    environment: Record<string, pulumi.Input<string>>,
    logGroupName: pulumi.Input<string>,
    region: pulumi.Input<string>,
    resources: ContainerResources = {},
    secrets: ResolvedSecret[] = [],
): pulumi.Output<string> {
    const env = Object.keys(environment)
        .sort()
        .map(name => ({ name, value: environment[name] }));
    return pulumi.jsonStringify([{
        name: spec.name,
        image,
        essential: true,
        ...resources,
        portMappings: [{ containerPort: spec.port, protocol: "tcp" }],
        environment: env,
        // ECS sets each variable from the secret's ARN at start: the value is never in the plan
        // (ECS Developer Guide, "Pass sensitive data to an Amazon ECS container": `secrets`, `valueFrom`).
        ...(secrets.length > 0 ? { secrets: secrets.map(s => ({ name: s.env, valueFrom: s.arn })) } : {}),
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { initProcessEnabled: true },
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": logGroupName, "awslogs-region": region, "awslogs-stream-prefix": spec.name },
        },
    }]);
}

/**
 * The part of an ECS service every launch type shares: awsvpc networking in
 * the service's subnets without public IPs, registration with the
 * PrivateLink NLB's target group (ip targets), rolling deployments with the
 * circuit breaker.
 *
 * A service whose image is pending starts with no task (desiredCount 0): a
 * task whose image cannot be pulled would trip the circuit breaker, and a
 * failed first deployment launches nothing more. desiredCount is then owned
 * by Application Auto Scaling (see ecsCpuScaling): releasing the image raises
 * the scalable target's minimum, which starts the tasks.
 */
export function ecsServiceBase(args: WorkloadArgs, cluster: aws.ecs.Cluster, taskDefinition: aws.ecs.TaskDefinition) {
    const { spec } = args;
    return {
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: initialTaskCount(spec),
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
    } satisfies aws.ecs.ServiceArgs;
}

/** Tasks an ECS service is created with: none while its image is pending, else the catalog's minimum. */
export function initialTaskCount(spec: ServiceSpec): number {
    return imagePending(spec) ? 0 : spec.scaling.min;
}

/**
 * The scalable target's bounds and suspension. While the image is pending:
 * minimum 0 and every scaling activity suspended, so nothing starts a task.
 * Released: minimum scaling.min and nothing suspended. Raising the minimum
 * above the running count makes Application Auto Scaling scale out to it:
 * "anytime a scaling policy is invoked or the RegisterScalableTarget API is
 * called, Application Auto Scaling retrieves the current capacity and compares
 * it to the minimum and maximum capacity. If it falls outside of the
 * minimum-maximum range, then the capacity is updated to comply" (Application
 * Auto Scaling User Guide, "Application Auto Scaling concepts", Scalable
 * target). The suspension is always written out, also as false: an omitted
 * suspendedState would leave a previous suspension in place.
 */
export function scalingBounds(spec: ServiceSpec): {
    minCapacity: number;
    maxCapacity: number;
    suspendedState: { dynamicScalingInSuspended: boolean; dynamicScalingOutSuspended: boolean; scheduledScalingSuspended: boolean };
} {
    const pending = imagePending(spec);
    return {
        minCapacity: pending ? 0 : spec.scaling.min,
        maxCapacity: spec.scaling.max,
        suspendedState: { dynamicScalingInSuspended: pending, dynamicScalingOutSuspended: pending, scheduledScalingSuspended: pending },
    };
}

/** What a launch type sets on the task definition: its compatibility, and task-level size and platform where it has them. */
export type TaskLaunch = Pick<aws.ecs.TaskDefinitionArgs, "requiresCompatibilities" | "cpu" | "memory" | "runtimePlatform">;

/** The service's one task definition: awsvpc, its two roles, its one container. */
export function createTaskDefinition(
    name: string,
    args: WorkloadArgs,
    identity: EcsTaskIdentity,
    launch: TaskLaunch,
    resources: ContainerResources,
    parent: pulumi.Resource,
): aws.ecs.TaskDefinition {
    const { spec } = args;
    return new aws.ecs.TaskDefinition(`${name}-task`, {
        family: `${args.environmentName}-${spec.name}`,
        networkMode: "awsvpc",
        ...launch,
        executionRoleArn: identity.executionRole.arn,
        taskRoleArn: identity.taskRole.arn,
        containerDefinitions: containerDefinitions(spec, requireImage(args), args.environment, identity.logGroup.name, args.account.region, resources, args.secrets),
        tags: args.tags,
    }, { parent });
}

/** What a launch type sets on the service: a launch type, or a capacity provider strategy and placement. */
export type ServiceLaunch = Pick<aws.ecs.ServiceArgs, "launchType" | "platformVersion" | "capacityProviderStrategies" | "placementConstraints" | "orderedPlacementStrategies">;

/** The ECS service: the shared base (networking, NLB registration, deployments) and the launch type's part. */
export function createEcsService(
    name: string,
    args: WorkloadArgs,
    cluster: aws.ecs.Cluster,
    taskDefinition: aws.ecs.TaskDefinition,
    launch: ServiceLaunch,
    dependsOn: pulumi.Resource[],
    parent: pulumi.Resource,
): aws.ecs.Service {
    return new aws.ecs.Service(`${name}-service`, { ...ecsServiceBase(args, cluster, taskDefinition), ...launch }, ecsServiceOptions(args, parent, dependsOn));
}

/** Options every ECS service shares: wait for the listener, let autoscaling own desiredCount. */
export function ecsServiceOptions(args: WorkloadArgs, parent: pulumi.Resource, dependsOn: pulumi.Resource[] = []): pulumi.CustomResourceOptions {
    return { parent, dependsOn: [args.link.listener, ...dependsOn], ignoreChanges: ["desiredCount"] };
}

/** Target tracking on the service's average CPU between the catalog's task bounds. */
export function ecsCpuScaling(
    name: string,
    spec: ServiceSpec,
    cluster: aws.ecs.Cluster,
    service: aws.ecs.Service,
    tags: Record<string, string>,
    parent: pulumi.Resource,
): aws.appautoscaling.Target {
    const target = new aws.appautoscaling.Target(`${name}-scaling`, {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        // Through service.name the target is registered only after the service
        // (and its new task definition) is updated: the scale-out that a raised
        // minimum triggers starts tasks of the released image.
        resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
        ...scalingBounds(spec),
        tags,
    }, { parent });
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
    }, { parent });
    return target;
}

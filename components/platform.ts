import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsServiceEndpoints, Catalog, selectZoneIds, ServiceSpec, Subscriber } from "./catalog";
import { EcsEc2Service } from "./ecsEc2Service";
import { EksService, nodePortFor } from "./eksService";
import { createFrontDoor, frontDoorConsumed, FrontDoor } from "./frontDoor";
import { FargateService } from "./fargateService";
import { IsolatedVpc } from "./isolatedVpc";
import { LambdaService, lambdaHealthCheck, lambdaTargetPort } from "./lambdaService";
import { PlatformKey } from "./platformKey";
import { PrivateLinkConsumer } from "./privateLinkConsumer";
import { PrivateLinkService, PrivateLinkServiceArgs, TargetType } from "./privateLinkService";
import { repositoryNameOf, ServiceRegistry } from "./serviceRegistry";
import { AccountContext, envName, serviceTags, TAG } from "./shared";
import type { Workload, WorkloadArgs } from "./workload";

export interface PlatformArgs {
    catalog: Catalog;
    /** The stack name: it scopes names that must be unique in an account (ECR repositories, task families). */
    stack: string;
}

/** What a stack exports for each microservice. */
export interface ServiceOutputs {
    vpcId: pulumi.Output<string>;
    endpointServiceName: pulumi.Output<string>;
    nlbDnsName: pulumi.Output<string>;
    repositoryUrl: pulumi.Output<string>;
    /** The SNS topic of the endpoint service's connection events: subscribe to it from elsewhere too. */
    endpointEventsTopicArn: pulumi.Output<string>;
    /**
     * The zone ids of the service's subnets, which are its NLB's zones: an
     * interface endpoint (in any account) can only be placed in these zones.
     */
    zoneIds: pulumi.Output<string[]>;
}

/**
 * How each runtime is exposed through the one PrivateLink provider path:
 * the NLB target group's type (and port and health check, where the runtime
 * needs its own), and the component that builds the workload.
 */
export interface RuntimeBinding {
    targetType: TargetType;
    targetPort?: (spec: ServiceSpec) => number;
    healthCheck?: (spec: ServiceSpec) => PrivateLinkServiceArgs["healthCheck"];
    create(name: string, args: WorkloadArgs, opts: pulumi.ComponentResourceOptions): Workload;
}

export const RUNTIME_BINDINGS: Partial<Record<ServiceSpec["runtime"], RuntimeBinding>> = {
    fargate: { targetType: "ip", create: (name, args, opts) => new FargateService(name, args, opts) },
    "ecs-ec2": { targetType: "ip", create: (name, args, opts) => new EcsEc2Service(name, args, opts) },
    lambda: {
        targetType: "alb",
        targetPort: lambdaTargetPort,
        healthCheck: lambdaHealthCheck,
        create: (name, args, opts) => new LambdaService(name, args, opts),
    },
    eks: {
        targetType: "instance",
        targetPort: spec => nodePortFor(spec.port),
        create: (name, args, opts) => new EksService(name, args, opts),
    },
};

function bindingFor(spec: ServiceSpec): RuntimeBinding {
    const binding = RUNTIME_BINDINGS[spec.runtime];
    if (!binding) {
        throw new Error(`${spec.name}: runtime ${spec.runtime} is not available yet`);
    }
    return binding;
}

interface Provider {
    spec: ServiceSpec;
    vpc: IsolatedVpc;
    registry: ServiceRegistry;
    link: PrivateLinkService;
}

/**
 * The whole catalog: for every microservice an isolated VPC, an ECR
 * repository, a PrivateLink service and its workload; for every `consumes`
 * edge an interface endpoint in the consumer's VPC. Every child is named
 * after its service (never a list position), so editing the catalog never
 * moves another service's resources.
 */
export class Platform extends pulumi.ComponentResource {
    public readonly services: Record<string, ServiceOutputs> = {};
    /** Per service, the principals its endpoint service admits, as the catalog derives them. */
    public readonly declaredPrincipals: Record<string, pulumi.Output<string[]>> = {};
    /** The API front door, when a service has `expose`. */
    public readonly frontDoor?: FrontDoor;

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:index:Platform", name, {}, opts);
        const { platform, services } = args.catalog;
        const invokeOpts = { parent: this };

        const identity = aws.getCallerIdentityOutput({}, invokeOpts);
        const account: AccountContext = {
            accountId: identity.accountId,
            region: aws.getRegionOutput({}, invokeOpts).region,
            partition: aws.getPartitionOutput({}, invokeOpts).partition,
        };
        // Zones by zone id, the same physical zones in every account (names
        // are mapped per account); see catalog/zones.ts for the choice.
        const available = aws.getAvailabilityZonesOutput({
            state: "available",
            filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
        }, invokeOpts).zoneIds;
        const chosen = available.apply(ids => selectZoneIds(ids, platform.availabilityZones, platform.zoneIds));
        const zones = Array.from({ length: platform.availabilityZones }, (_, i) => chosen.apply(ids => ids[i]));

        const baseTags = { ...platform.tags, [TAG.stack]: args.stack };
        const key = new PlatformKey(`${name}`, {
            account,
            protect: platform.protectStatefulResources,
            tags: baseTags,
        }, { parent: this });

        const inStackPrincipal = platform.consumerPrincipal
            ?? pulumi.interpolate`arn:${account.partition}:iam::${account.accountId}:root`;
        const consumed = new Set([...services.flatMap(s => s.consumes), ...frontDoorConsumed(services)]);
        const portOf = new Map(services.map(s => [s.name, s.port]));

        // Provider side of every service first: consumers in the next pass
        // need every endpoint service, whatever the order of the catalog.
        const providers = new Map<string, Provider>();
        for (const spec of services) {
            const tags = serviceTags(baseTags, spec.name);
            const binding = bindingFor(spec);
            const vpc = new IsolatedVpc(spec.name, {
                service: spec.name,
                cidr: spec.cidr ?? platform.vpcCidr,
                availabilityZoneIds: zones,
                endpoints: awsServiceEndpoints(spec.runtime),
                servicePort: spec.port,
                // Behind an ALB the workload is invoked through an AWS API, not the network.
                workloadIngress: binding.targetType !== "alb",
                consumedPorts: spec.consumes.map(c => portOf.get(c)!),
                logRetentionDays: platform.logRetentionDays,
                kmsKeyArn: key.arn,
                account,
                tags,
            }, { parent: this });
            const registry = new ServiceRegistry(spec.name, {
                service: spec.name,
                repositoryName: repositoryNameOf(args.stack, spec.name),
                image: spec.image,
                kmsKeyArn: key.arn,
                protect: platform.protectStatefulResources,
                tags,
            }, { parent: this });
            const principals = allowedPrincipals(consumed.has(spec.name) ? [inStackPrincipal] : [], spec.allowedPrincipals);
            const link = new PrivateLinkService(spec.name, {
                service: spec.name,
                vpcId: vpc.vpc.id,
                subnetIds: vpc.subnetIds,
                port: spec.port,
                targetType: binding.targetType,
                targetPort: binding.targetPort?.(spec),
                healthCheck: binding.healthCheck?.(spec),
                allowedPrincipals: principals,
                subscribers: subscribersOf(platform.notifications.subscribers, spec.notifications.subscribers),
                kmsKeyArn: key.arn,
                account,
                tags,
            }, { parent: this });
            providers.set(spec.name, { spec, vpc, registry, link });
            this.declaredPrincipals[spec.name] = principals;
        }

        const workloads = new Map<string, Workload>();
        for (const { spec, vpc, registry, link } of providers.values()) {
            const tags = serviceTags(baseTags, spec.name);
            const environment: Record<string, pulumi.Input<string>> = { ...spec.environment };
            for (const target of spec.consumes) {
                const provider = providers.get(target)!;
                const edge = new PrivateLinkConsumer(`${spec.name}-to-${target}`, {
                    consumer: spec.name,
                    provider: target,
                    vpcId: vpc.vpc.id,
                    subnetIds: vpc.subnetIds,
                    workloadSecurityGroupId: vpc.workloadSecurityGroup.id,
                    endpointServiceId: provider.link.endpointService.id,
                    endpointServiceName: provider.link.endpointService.serviceName,
                    port: provider.spec.port,
                    tags,
                }, { parent: this });
                environment[`${envName(target)}_URL`] = edge.url;
            }

            const workload = bindingFor(spec).create(spec.name, {
                spec,
                platform,
                stack: args.stack,
                vpcId: vpc.vpc.id,
                vpcCidr: spec.cidr ?? platform.vpcCidr,
                subnetIds: vpc.subnetIds,
                securityGroupId: vpc.workloadSecurityGroup.id,
                link,
                imageUri: registry.imageUri,
                repositoryArn: registry.repository.arn,
                environment,
                kmsKeyArn: key.arn,
                account,
                tags,
            }, { parent: this });
            registry.grantPull(workload.pullRoleArn, workload.pullServicePrincipal);
            workloads.set(spec.name, workload);

            this.services[spec.name] = {
                vpcId: vpc.vpc.id,
                endpointServiceName: link.endpointService.serviceName,
                nlbDnsName: link.loadBalancer.dnsName,
                repositoryUrl: registry.repository.repositoryUrl,
                endpointEventsTopicArn: link.notifications.arn,
                zoneIds: pulumi.all(vpc.subnets.map(subnet => subnet.availabilityZoneId)),
            };
        }

        this.frontDoor = createFrontDoor(args.catalog, {
            stack: args.stack,
            providers,
            workloads,
            zones,
            kmsKeyArn: key.arn,
            account,
            tags: baseTags,
        }, this);

        this.registerOutputs({ services: this.services, declaredPrincipals: this.declaredPrincipals });
    }
}

/** The platform's subscribers, then the service's own, each once. */
export function subscribersOf(platform: Subscriber[], service: Subscriber[]): Subscriber[] {
    const seen = new Set<string>();
    return [...platform, ...service].filter(s => {
        const key = `${s.protocol} ${s.endpoint}`;
        return !seen.has(key) && seen.add(key) !== undefined;
    });
}

/**
 * The endpoint service's principals: the in-stack consumer principal when the
 * service has consumers in this stack, plus the service's own declared
 * principals (other accounts), deduplicated and sorted so the list is stable.
 */
export function allowedPrincipals(
    inStack: pulumi.Input<string>[],
    declared: string[],
): pulumi.Output<string[]> {
    return pulumi.all(inStack).apply(resolved => [...new Set([...resolved, ...declared])].sort());
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Catalog, declaredEdges, FRONT_DOOR_CONSUMER, PlatformSpec, selectZoneIds, ServiceSpec, Subscriber, urlVariable } from "./catalog";
import { ExternalEndpoint } from "./externalEndpoint";
import { createFrontDoor, FrontDoor } from "./frontDoor";
import { IsolatedVpc } from "./isolatedVpc";
import { PlatformKey } from "./platformKey";
import { PrivateLinkConsumer } from "./privateLinkConsumer";
import { PrivateLinkService } from "./privateLinkService";
import { RuntimeModule, runtimeModule } from "./runtimes";
import { repositoryNameOf, ServiceRegistry } from "./serviceRegistry";
import { AccountContext, envName, serviceTags, TAG } from "./shared";
import type { Workload } from "./workload";
import type { Acceptance, ShardWiring } from "./shardWiring";
import { partitionOf, planDate, subscriberPrincipals, SUBSCRIPTION_HANDLER } from "../policies/lib/subscriptions";
import { createSubscriptionHandler } from "./subscriptionHandler";
import { ServiceData } from "./serviceData";
import { grantServiceNeeds, needsVariables, ResolvedSecret, resolveSecrets } from "./serviceAccess";
import { declaredResources, readNeeds, serviceEndpoints } from "../policies/lib/service-needs";

export interface PlatformArgs {
    catalog: Catalog;
    /** The stack name (tags). */
    stack: string;
    /**
     * The environment: it scopes names that must be unique in an account (ECR
     * repositories, task families, clusters, functions), so a service keeps
     * them in any shard's stack. Default: the stack name (single-stack mode).
     */
    environment?: string;
    /** A shard stack: its services, and its wiring to the other shards (components/shardWiring.ts). */
    shard?: ShardWiring;
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
    /** The endpoint service's id (vpce-svc-...): what an accepter in another shard names. */
    endpointServiceId: pulumi.Output<string>;
    /** The account the service lives in. */
    account: pulumi.Output<string>;
    /** Its own DNS name for consumers and AWS's verification state of it (`pendingVerification`, `verified`, `failed`), or null. */
    privateDns: pulumi.Output<{ name: string; state: string } | null>;
}

interface Provider {
    spec: ServiceSpec;
    runtime: RuntimeModule;
    vpc: IsolatedVpc;
    registry: ServiceRegistry;
    link: PrivateLinkService;
    key: PlatformKey;
    /** The stores the service owns (catalog `data`), if any. */
    data?: ServiceData;
}

/** What every part of the platform shares: the stack's services, account, zones, tags and keys. */
export interface PlatformContext {
    name: string;
    catalog: Catalog;
    platform: PlatformSpec;
    /** The stack's name (tags, the front door's names). */
    stack: string;
    /** The services this stack deploys (a shard's own, or every one). */
    services: ServiceSpec[];
    environment: string;
    shard?: ShardWiring;
    account: AccountContext;
    /** One zone id per availability zone, by position. */
    zones: pulumi.Output<string>[];
    baseTags: Record<string, string>;
    /** The stack's one key, absent with a key per service. */
    sharedKey?: PlatformKey;
    /** The key of a service (the stack's, or its own, created on first use). */
    keyOf(service: string): PlatformKey;
    /** When subscribers' expiry is judged: the plan's date (policies/lib/subscriptions.js, planDate). */
    now: Date;
}

/** The provider side of every service, by name. */
export type Providers = Map<string, Provider>;

/** What the platform exports per service, per edge and per endpoint service. */
export interface PlatformOutputs {
    services: Record<string, ServiceOutputs>;
    declaredPrincipals: Record<string, pulumi.Output<string[]>>;
    endpoints: Record<string, pulumi.Output<string>>;
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
    /** The API front door, when a service of this stack has `expose`. */
    public readonly frontDoor?: FrontDoor;
    /** Per edge `consumer->provider` this stack consumes, its interface endpoint's id (the provider's shard accepts it). */
    public readonly endpoints: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super("privatelink:index:Platform", name, {}, opts);
        const ctx = platformContext(name, args, this);
        const out: PlatformOutputs = { services: this.services, declaredPrincipals: this.declaredPrincipals, endpoints: this.endpoints };
        // Provider side of every service first: consumers in the next pass
        // need every endpoint service, whatever the order of the catalog.
        const providers = createProviders(ctx, out, this);
        const workloads = createWorkloads(ctx, providers, out, this);
        grantNeeds(ctx, providers, workloads, this);
        this.frontDoor = createPlatformFrontDoor(ctx, providers, workloads, this);
        // Connection requests from subscribers, decided when they arrive (docs/saas.md).
        createSubscriptionHandler({
            services: ctx.services,
            providers,
            stackPrincipals: [ctx.platform.consumerPrincipal ?? pulumi.interpolate`arn:${ctx.account.partition}:iam::${ctx.account.accountId}:root`, ...[...ctx.shard?.consumerPrincipals.values() ?? []].flat()],
            zones: ctx.zones,
            cidr: ctx.platform.vpcCidr,
            logRetentionDays: ctx.platform.logRetentionDays,
            kmsKeyArn: () => ctx.keyOf(SUBSCRIPTION_HANDLER).arn,
            now: ctx.now,
            account: ctx.account,
            tags: ctx.baseTags,
        }, this);
        // Connections from consumers in other shards: exactly the endpoints their stacks export.
        for (const accepted of ctx.shard?.accept.values() ?? []) {
            acceptConnection(accepted, providers.get(accepted.provider)!.link, this);
        }
        this.registerOutputs({ services: this.services, declaredPrincipals: this.declaredPrincipals, endpoints: this.endpoints });
    }
}

/**
 * The stack's services, account and region (resolved once), its zones by
 * zone id, its tags and its keys: one key for the stack (`keys: stack`, the
 * default), or one per service (`keys: service`), which moves with its
 * service to another shard.
 */
export function platformContext(name: string, args: PlatformArgs, parent: pulumi.Resource): PlatformContext {
    const { platform } = args.catalog;
    const shard = args.shard;
    // A shard stack declares only its own services; the others are read from their stacks.
    const services = shard ? args.catalog.services.filter(s => shard.local.has(s.name)) : args.catalog.services;
    const invokeOpts = { parent };

    const identity = aws.getCallerIdentityOutput({}, invokeOpts);
    const account: AccountContext = {
        accountId: identity.accountId,
        region: aws.getRegionOutput({}, invokeOpts).region,
        partition: aws.getPartitionOutput({}, invokeOpts).partition,
        ...(shard?.roleArn ? { roleArn: shard.roleArn } : {}),
    };
    // Zones by zone id, the same physical zones in every account (names
    // are mapped per account); see catalog/zones.ts for the choice.
    const available = aws.getAvailabilityZonesOutput({
        state: "available",
        filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    }, invokeOpts).zoneIds;
    const chosen = available.apply(ids => selectZoneIds(ids, platform.availabilityZones, platform.zoneIds, { frontDoor: services.some(s => s.expose) }));
    const zones = Array.from({ length: platform.availabilityZones }, (_, i) => chosen.apply(ids => ids[i]));

    const baseTags = { ...platform.tags, [TAG.stack]: args.stack };
    const sharedKey = platform.keys === "service" ? undefined : new PlatformKey(`${name}`, {
        account,
        protect: platform.protectStatefulResources,
        tags: baseTags,
    }, { parent });
    const keyOf = (service: string): PlatformKey => sharedKey ?? new PlatformKey(service, {
        account,
        protect: platform.protectStatefulResources,
        tags: serviceTags(baseTags, service),
    }, { parent });
    return { name, catalog: args.catalog, platform, stack: args.stack, services, environment: args.environment ?? args.stack, shard, account, zones, baseTags, sharedKey, keyOf, now: planDate() };
}

/**
 * Per service: its isolated VPC (with the AWS-service endpoints its runtime
 * declares), its ECR repository, and its PrivateLink service, whose target
 * group the runtime's binding shapes and whose principals are the service's
 * consumers' accounts.
 */
export function createProviders(ctx: PlatformContext, out: PlatformOutputs, parent: pulumi.Resource): Providers {
    const { platform, services, shard, account } = ctx;
    const inStackPrincipal = platform.consumerPrincipal
        ?? pulumi.interpolate`arn:${account.partition}:iam::${account.accountId}:root`;
    // Every provider of an edge this stack declares, the front door's included (it consumes its exposed services in this stack).
    const consumed = new Set(declaredEdges(services, platform).map(e => e.provider));
    const portOf = portsOf(ctx.catalog);

    const providers: Providers = new Map();
    for (const spec of services) {
        const tags = serviceTags(ctx.baseTags, spec.name);
        const runtime = runtimeModule(spec.runtime);
        const binding = runtime.binding;
        const key = ctx.keyOf(spec.name);
        const vpc = new IsolatedVpc(spec.name, {
            service: spec.name,
            cidr: spec.cidr ?? platform.vpcCidr,
            availabilityZoneIds: ctx.zones,
            // The runtime's endpoints and those the service's declared needs add (data, uses, secrets, aws).
            endpoints: serviceEndpoints(runtime.facts.endpoints, spec.name, ctx.catalog.services),
            endpointResources: needsOnlyResources(ctx, spec.name, runtime),
            servicePort: spec.port,
            // Behind an ALB the workload is invoked through an AWS API, not the network.
            workloadIngress: binding.targetType !== "alb",
            consumedPorts: [...spec.consumes.map(c => portOf.get(c)!), ...spec.external.flatMap(x => x.ports)],
            logRetentionDays: platform.logRetentionDays,
            kmsKeyArn: key.arn,
            account,
            tags,
        }, { parent });
        const registry = new ServiceRegistry(spec.name, {
            service: spec.name,
            repositoryName: repositoryNameOf(ctx.environment, spec.name),
            image: spec.image,
            kmsKeyArn: key.arn,
            protect: platform.protectStatefulResources,
            tags,
        }, { parent });
        const principals = allowedPrincipals([
            ...(consumed.has(spec.name) ? [inStackPrincipal] : []),
            // Consumers in other shards: their shards' accounts.
            ...(shard?.consumerPrincipals.get(spec.name) ?? []),
            // Subscribers in other accounts, unexpired at the plan's date (docs/saas.md).
            ...subscriberPrincipals(spec, ctx.now, partitionOf(ctx.catalog.region)),
        ], spec.allowedPrincipals);
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
            ...(spec.privateDnsName ? { privateDns: { name: spec.privateDnsName, ...(spec.privateDnsZoneId ? { zoneId: spec.privateDnsZoneId } : {}) } } : {}),
            kmsKeyArn: key.arn,
            account,
            tags,
        }, { parent });
        const data = spec.data.length === 0 ? undefined : new ServiceData(spec.name, {
            service: spec.name,
            environment: ctx.environment,
            stores: spec.data,
            kmsKeyArn: key.arn,
            account,
            protect: platform.protectStatefulResources,
            tags,
        }, { parent });
        providers.set(spec.name, { spec, runtime, vpc, registry, link, key, data });
        out.declaredPrincipals[spec.name] = principals;
    }
    return providers;
}

/**
 * Per service: an interface endpoint for each service it consumes (in this
 * stack, or another shard's), then its workload from its runtime's
 * component, with the consumed services' URLs in its environment; the
 * repository admits the workload's pull role.
 */
export function createWorkloads(ctx: PlatformContext, providers: Providers, out: PlatformOutputs, parent: pulumi.Resource): Map<string, Workload> {
    const workloads = new Map<string, Workload>();
    for (const provider of providers.values()) {
        const { spec, runtime, vpc, registry, link, key } = provider;
        const tags = serviceTags(ctx.baseTags, spec.name);
        const secrets = resolveSecrets(spec, ctx.account);
        const variables: Record<string, pulumi.Input<string>> = {
            ...spec.environment,
            ...createConsumers(ctx, provider, providers, tags, out, parent),
            ...needsVariables(spec.name, ctx.catalog.services, dataOf(providers), runtime.secrets === "variable" ? secrets : undefined),
        };
        const Component = runtime.component();
        const workload = new Component(spec.name, {
            spec,
            platform: ctx.platform,
            environmentName: ctx.environment,
            vpcId: vpc.vpc.id,
            vpcCidr: spec.cidr ?? ctx.platform.vpcCidr,
            subnetIds: vpc.subnetIds,
            securityGroupId: vpc.workloadSecurityGroup.id,
            link,
            imageUri: registry.imageUri,
            repositoryArn: registry.repository.arn,
            environment: variables,
            ...(runtime.secrets === "container" && secrets.length > 0 ? { secrets } : {}),
            kmsKeyArn: key.arn,
            account: ctx.account,
            tags,
        }, { parent });
        registry.grantPull(workload.pullRoleArn, workload.pullServicePrincipal);
        workloads.set(spec.name, workload);

        out.services[spec.name] = {
            vpcId: vpc.vpc.id,
            endpointServiceName: link.endpointService.serviceName,
            nlbDnsName: link.loadBalancer.dnsName,
            repositoryUrl: registry.repository.repositoryUrl,
            endpointEventsTopicArn: link.notifications.arn,
            zoneIds: pulumi.all(vpc.subnets.map(subnet => subnet.availabilityZoneId)),
            endpointServiceId: link.endpointService.id,
            account: pulumi.output(ctx.account.accountId),
            privateDns: link.privateDns,
        };
    }
    return workloads;
}

/**
 * Per AWS API the service's VPC reaches because of its declared needs, the
 * ARNs its endpoint policy admits. An API the runtime needs too is left open
 * to the account (its start-up requests act on the account's own resources),
 * unless the runtime reaches only AWS-owned resources through it (S3: ECR's
 * layer bucket, admitted by a statement of its own): that endpoint admits the
 * declared resources alone, none when the service declares none.
 */
function needsOnlyResources(ctx: PlatformContext, service: string, runtime: RuntimeModule): Record<string, pulumi.Input<string[]>> {
    const own = [...runtime.facts.endpoints.interface, ...runtime.facts.endpoints.gateway];
    const awsOwnedOnly = (api: string) => {
        const uses = runtime.facts.startup.filter(d => d.service === api);
        return uses.length > 0 && uses.every(d => d.request.awsOwnedResource === true);
    };
    const needs = readNeeds(ctx.catalog.services);
    const all = pulumi.all([ctx.account.partition, ctx.account.region, ctx.account.accountId])
        .apply(([partition, region, account]) => declaredResources(service, needs, { partition, region, account, environment: ctx.environment }));
    const apis = Object.keys(declaredResources(service, needs, { partition: "aws", region: "r", account: "0", environment: ctx.environment }));
    const out: Record<string, pulumi.Input<string[]>> = Object.fromEntries(apis.filter(api => !own.includes(api) || awsOwnedOnly(api)).map(api => [api, all.apply(r => r[api])]));
    for (const api of own.filter(a => awsOwnedOnly(a) && !apis.includes(a))) out[api] = [];
    return out;
}

/** The stores of this stack's services. */
function dataOf(providers: Providers): Map<string, ServiceData> {
    return new Map([...providers].flatMap(([name, p]) => (p.data ? [[name, p.data] as [string, ServiceData]] : [])));
}

/**
 * What each service may do with the stores and secrets it declares, and
 * who each store admits: both from one derivation (components/serviceAccess.ts).
 */
function grantNeeds(ctx: PlatformContext, providers: Providers, workloads: Map<string, Workload>, parent: pulumi.Resource): void {
    grantServiceNeeds({
        catalog: ctx.catalog.services,
        data: dataOf(providers),
        workloads,
        keyOf: service => providers.get(service)!.key.arn,
        tagsOf: service => serviceTags(ctx.baseTags, service),
        runtimeSecrets: new Map([...providers.values()].filter(p => p.runtime.secrets === "variable").map(p => [p.spec.name, resolveSecrets(p.spec, ctx.account)] as [string, ResolvedSecret[]])),
        account: ctx.account,
    }, parent);
}

/**
 * The consumer's interface endpoints, one per consumed service whose
 * endpoint service this stack knows (its own, or another shard's through
 * the stack's references): the `<PROVIDER>_URL` variables they give.
 */
function createConsumers(
    ctx: PlatformContext,
    consumer: Provider,
    providers: Providers,
    tags: Record<string, string>,
    out: PlatformOutputs,
    parent: pulumi.Resource,
): Record<string, pulumi.Input<string>> {
    const { spec, vpc } = consumer;
    const portOf = portsOf(ctx.catalog);
    const variables: Record<string, pulumi.Input<string>> = {};
    for (const target of spec.consumes) {
        const provider = providers.get(target);
        // A provider in another shard: its endpoint service from that shard's stack, or nothing yet.
        const remote = provider ? undefined : ctx.shard?.remote.get(target);
        if (!provider && !remote) continue;
        const edge = new PrivateLinkConsumer(`${spec.name}-to-${target}`, {
            consumer: spec.name,
            provider: target,
            vpcId: vpc.vpc.id,
            subnetIds: vpc.subnetIds,
            workloadSecurityGroupId: vpc.workloadSecurityGroup.id,
            endpointServiceId: provider ? provider.link.endpointService.id : remote!.endpointServiceId,
            endpointServiceName: provider ? provider.link.endpointService.serviceName : remote!.endpointServiceName,
            port: portOf.get(target)!,
            // Only the provider's owner can accept: another shard's stack accepts this one.
            accept: provider !== undefined,
            tags,
        }, { parent });
        variables[`${envName(target)}_URL`] = edge.url;
        out.endpoints[`${spec.name}->${target}`] = edge.endpoint.id;
    }
    // Other providers' endpoint services (docs/saas.md): accepted in their accounts.
    // An entry whose service name still needs input creates nothing yet (it is listed by the plan).
    for (const external of spec.external.filter(x => x.serviceName !== undefined)) {
        const edge = new ExternalEndpoint(`${spec.name}-to-${external.name}`, {
            consumer: spec.name,
            external,
            vpcId: vpc.vpc.id,
            subnetIds: vpc.subnetIds,
            workloadSecurityGroupId: vpc.workloadSecurityGroup.id,
            tags,
        }, { parent });
        variables[urlVariable(external.name)] = edge.url;
    }
    return variables;
}

/**
 * The API front door over this stack's exposed services (a shard's own).
 * Its physical names carry the stack, or in a shard the environment and
 * the shard (stack names of shards hold a dot, which AWS names refuse).
 */
function createPlatformFrontDoor(ctx: PlatformContext, providers: Providers, workloads: Map<string, Workload>, parent: pulumi.Resource): FrontDoor | undefined {
    const { services, shard } = ctx;
    return createFrontDoor({ ...ctx.catalog, services }, {
        stack: shard ? `${ctx.environment}-${shard.shard.name}` : ctx.stack,
        providers,
        workloads,
        zones: ctx.zones,
        // With a key per service, the front door has its own (created only when there is one).
        kmsKeyArn: ctx.sharedKey ? ctx.sharedKey.arn : pulumi.output(services.some(s => s.expose) ? ctx.keyOf(FRONT_DOOR_CONSUMER).arn : ""),
        account: ctx.account,
        tags: ctx.baseTags,
    }, parent);
}

/** Every service's port, this stack's and the other shards' (consumers call providers anywhere). */
function portsOf(catalog: Catalog): Map<string, number> {
    return new Map(catalog.services.map(s => [s.name, s.port]));
}

/**
 * Accepts one declared cross-shard connection in the provider's account. The
 * endpoint service requires acceptance, so a connection nobody declared stays
 * pendingAcceptance (its Connect notification still fires). Named as the
 * single-stack accepter (`<consumer>-to-<provider>-accept`), so a move keeps
 * the name (docs/scale.md). Source: AWS PrivateLink guide, "Accept or reject
 * connection requests"; pulumi-aws aws.ec2.VpcEndpointConnectionAccepter.
 */
export function acceptConnection(edge: Acceptance, link: PrivateLinkService, parent: pulumi.Resource): aws.ec2.VpcEndpointConnectionAccepter {
    return new aws.ec2.VpcEndpointConnectionAccepter(`${edge.consumer}-to-${edge.provider}-accept`, {
        vpcEndpointServiceId: link.endpointService.id,
        vpcEndpointId: edge.endpointId,
    }, { parent });
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

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FRONT_DOOR_COMPONENT } from "../policies/lib/front-door";
import { Catalog, ExposedMethod, exposedMethods, FRONT_DOOR_CONSUMER, FrontDoorSpec, PlatformSpec, ServiceSpec } from "./catalog";
import { FrontDoorApi } from "./frontDoorApi";
import { albPathPatterns, listenerPriorities, stageRewrite } from "./frontDoorRoutes";
import { IsolatedVpc } from "./isolatedVpc";
import { PrivateLinkConsumer } from "./privateLinkConsumer";
import { AccountContext, serviceTags, TAG } from "./shared";

/** What the front door needs of one exposed service. */
export interface ExposedService {
    spec: ServiceSpec;
    endpointServiceId: pulumi.Input<string>;
    endpointServiceName: pulumi.Input<string>;
    /** Lambda services with `integration: lambda`: the function API Gateway invokes directly (absent while its image is pending). */
    function?: aws.lambda.Function;
}

export interface FrontDoorArgs {
    stack: string;
    frontDoor: FrontDoorSpec;
    platform: PlatformSpec;
    /** Exposed services, in catalog order. */
    services: ExposedService[];
    /** Every exposed method (catalog/expose.ts exposedMethods). */
    methods: ExposedMethod[];
    /** Zone ids of the edge VPC's subnets: the zones every service VPC uses. */
    availabilityZoneIds: pulumi.Input<string>[];
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    /** The platform's base tags. */
    tags: Record<string, string>;
}

/** The edge ALB's listener port: API Gateway's VPC link reaches it over HTTP inside the edge VPC. */
export const EDGE_LISTENER_PORT = 80;

/**
 * The API front door: the stack's only internet-facing piece. An edge VPC
 * built like every service VPC (no IGW, no NAT, flow logs) consumes each
 * exposed service through a PrivateLinkConsumer; an internal ALB there
 * forwards each route's path prefix to the target group of that service's
 * interface endpoint IPs; a regional REST API reaches the ALB through one VPC
 * link v2 (frontDoorApi.ts). Every child is named after the service and route
 * it serves, never a list position.
 */
export class FrontDoor extends pulumi.ComponentResource {
    public readonly vpc: IsolatedVpc;
    public readonly consumers: Record<string, PrivateLinkConsumer> = {};
    public readonly alb: aws.lb.LoadBalancer;
    public readonly listener: aws.lb.Listener;
    public readonly targetGroups: Record<string, aws.lb.TargetGroup> = {};
    public readonly api: FrontDoorApi;
    public readonly invokeUrl: pulumi.Output<string>;
    public readonly routes: string[];

    constructor(name: string, args: FrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
        super(FRONT_DOOR_COMPONENT, name, {}, opts);
        const parent = { parent: this };
        const fd = args.frontDoor;
        const tags = serviceTags(args.tags, FRONT_DOOR_CONSUMER);
        const cidr = fd.vpcCidr ?? args.platform.vpcCidr;
        const viaLink = args.services.filter(s => s.spec.expose?.integration !== "lambda");
        const ports = [...new Set(viaLink.map(s => s.spec.port))].sort((a, b) => a - b);

        // The edge VPC: the "workload" is the ALB. Its security group admits
        // the listener port from inside the VPC (the VPC link's ENIs) and
        // reaches only the interface endpoints' ports in the VPC.
        this.vpc = new IsolatedVpc(FRONT_DOOR_CONSUMER, {
            service: FRONT_DOOR_CONSUMER,
            cidr,
            availabilityZoneIds: args.availabilityZoneIds,
            endpoints: { interface: [], gateway: [] },
            servicePort: EDGE_LISTENER_PORT,
            consumedPorts: ports,
            logRetentionDays: args.platform.logRetentionDays,
            kmsKeyArn: args.kmsKeyArn,
            account: args.account,
            tags,
        }, parent);

        this.alb = new aws.lb.LoadBalancer(`${name}-alb`, {
            loadBalancerType: "application",
            internal: true,
            subnets: this.vpc.subnetIds,
            securityGroups: [this.vpc.workloadSecurityGroup.id],
            ipAddressType: "ipv4",
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            idleTimeout: 60,
            tags: { ...tags, Name: `${FRONT_DOOR_CONSUMER}-alb` },
        }, parent);

        // Requests no route claims get 404 from the ALB itself.
        this.listener = new aws.lb.Listener(`${name}-http`, {
            loadBalancerArn: this.alb.arn,
            port: EDGE_LISTENER_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "no route" } }],
            tags,
        }, parent);

        const priorities = listenerPriorities(args.methods.filter(m => m.integration === "vpc-link").map(m => m.path));
        const zones = args.availabilityZoneIds.length;
        for (const svc of viaLink) {
            const service = svc.spec.name;
            const consumer = new PrivateLinkConsumer(`${FRONT_DOOR_CONSUMER}-to-${service}`, {
                consumer: FRONT_DOOR_CONSUMER,
                provider: service,
                vpcId: this.vpc.vpc.id,
                subnetIds: this.vpc.subnetIds,
                workloadSecurityGroupId: this.vpc.workloadSecurityGroup.id,
                endpointServiceId: svc.endpointServiceId,
                endpointServiceName: svc.endpointServiceName,
                port: svc.spec.port,
                tags,
            }, parent);
            this.consumers[service] = consumer;
            this.targetGroups[service] = this.serviceTargets(name, service, svc.spec.port, consumer, zones, tags);
        }

        // One listener rule per route of a service reached through the VPC link.
        const seen = new Set<string>();
        for (const m of args.methods) {
            const key = `${m.service} ${m.path}`;
            if (m.integration !== "vpc-link" || seen.has(key)) continue;
            seen.add(key);
            const slug = m.name.slice(0, m.name.length - m.method.length - 1);
            new aws.lb.ListenerRule(`${name}-${slug}`, {
                listenerArn: this.listener.arn,
                priority: priorities.get(m.path)!,
                conditions: [{ pathPattern: { values: albPathPatterns(m.path, fd.stageName) } }],
                transforms: [{ type: "url-rewrite", urlRewriteConfig: { rewrite: stageRewrite(fd.stageName) } }],
                actions: [{ type: "forward", targetGroupArn: this.targetGroups[m.service].arn }],
                tags: { ...tags, [TAG.provider]: m.service },
            }, parent);
        }

        this.api = new FrontDoorApi(name, {
            stack: args.stack,
            frontDoor: fd,
            platform: args.platform,
            methods: args.methods,
            functions: Object.fromEntries(args.services.filter(s => s.function).map(s => [s.spec.name, s.function!])),
            vpc: this.vpc,
            alb: this.alb,
            kmsKeyArn: args.kmsKeyArn,
            account: args.account,
            tags,
        }, this);
        this.invokeUrl = this.api.invokeUrl;
        this.routes = this.api.routes;

        this.registerOutputs({ invokeUrl: this.invokeUrl, routes: this.routes, albArn: this.alb.arn });
    }

    /**
     * The target group of one exposed service: the private IPs of its
     * interface endpoint in the edge VPC, one network interface per zone
     * ("we create an endpoint network interface in each subnet that you
     * enable": VPC PrivateLink guide, "Access an AWS service using an
     * interface VPC endpoint"; IP targets by private address: Elastic Load
     * Balancing, "Target groups for your Application Load Balancers", target
     * type ip). The endpoint is read (aws.ec2.getVpcEndpoint ->
     * networkInterfaceIds, then aws.ec2.getNetworkInterface -> privateIp)
     * once this stack accepted the connection: the accepter's output feeds the
     * read, and the provider's accepter waits for the endpoint to leave
     * pendingAcceptance for available (hashicorp/terraform-provider-aws,
     * internal/service/ec2/vpc_endpoint_connection_accepter.go,
     * waitVPCEndpointConnectionAccepted). That AWS lists every interface
     * by then is what only a real `up` shows.
     */
    private serviceTargets(name: string, service: string, port: number, consumer: PrivateLinkConsumer, zones: number, tags: Record<string, string>): aws.lb.TargetGroup {
        const parent = { parent: this };
        const group = new aws.lb.TargetGroup(`${name}-${service}`, {
            targetType: "ip",
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            port,
            vpcId: this.vpc.vpc.id,
            // Any HTTP answer proves ALB -> endpoint -> NLB -> workload works;
            // the provider's own NLB health check judges the workload.
            healthCheck: { enabled: true, protocol: "HTTP", path: "/", matcher: "200-499", interval: 30, timeout: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
            deregistrationDelay: 30,
            tags: { ...tags, [TAG.provider]: service },
        }, parent);
        const accepter = consumer.accepter;
        if (!accepter) {
            throw new Error(`front door: the edge to ${service} must be accepted by this stack`);
        }
        const endpoint = aws.ec2.getVpcEndpointOutput({ id: accepter.vpcEndpointId }, parent);
        for (let i = 0; i < zones; i++) {
            const zone = String.fromCharCode("a".charCodeAt(0) + i);
            const eni = aws.ec2.getNetworkInterfaceOutput({ id: endpoint.networkInterfaceIds.apply(ids => [...ids].sort()[i]) }, parent);
            new aws.lb.TargetGroupAttachment(`${name}-${service}-${zone}`, {
                targetGroupArn: group.arn,
                targetId: eni.privateIp,
                port,
            }, { parent: this, dependsOn: [accepter] });
        }
        return group;
    }
}

export interface FrontDoorWiring {
    stack: string;
    providers: ReadonlyMap<string, { spec: ServiceSpec; link: { endpointService: aws.ec2.VpcEndpointService } }>;
    workloads: ReadonlyMap<string, unknown>;
    zones: pulumi.Input<string>[];
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
}

/** The platform's front door: created only when some service has `expose` (the catalog then requires platform.frontDoor). */
export function createFrontDoor(catalog: Catalog, w: FrontDoorWiring, parent: pulumi.Resource): FrontDoor | undefined {
    const fd = catalog.platform.frontDoor;
    const exposed = catalog.services.filter(s => s.expose);
    if (!fd || exposed.length === 0) {
        return undefined;
    }
    return new FrontDoor(FRONT_DOOR_CONSUMER, {
        stack: w.stack,
        frontDoor: fd,
        platform: catalog.platform,
        services: exposed.map(spec => {
            const link = w.providers.get(spec.name)!.link;
            const workload = w.workloads.get(spec.name) as { function?: aws.lambda.Function } | undefined;
            return {
                spec,
                endpointServiceId: link.endpointService.id,
                endpointServiceName: link.endpointService.serviceName,
                ...(spec.expose!.integration === "lambda" && workload?.function ? { function: workload.function } : {}),
            };
        }),
        methods: exposedMethods(catalog.services, fd),
        availabilityZoneIds: w.zones,
        kmsKeyArn: w.kmsKeyArn,
        account: w.account,
        tags: w.tags,
    }, { parent });
}

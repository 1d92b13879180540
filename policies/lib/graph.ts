import { PolicyResource } from "@pulumi/policy";
import { peek, tag, Unknown, UNKNOWN } from "./values";

/**
 * One-pass index over a stack's resources for the topology rules. Everything
 * here follows URNs (parent, dependencies, property dependencies), which are
 * known during preview, never IDs. Built once per resource list and shared by
 * every stack rule that asks for it.
 */

export const TAG_SERVICE = "privatelink:service";
export const TAG_KIND = "privatelink:endpoint-kind";
export const TAG_CONSUMER = "privatelink:consumer";
export const TAG_PROVIDER = "privatelink:provider";
export const TAG_EDGE = "privatelink:edge";

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    awsxVpc: "awsx:ec2:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    flowLog: "aws:ec2/flowLog:FlowLog",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
    endpointServicePrincipal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
    connectionNotification: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
    natGateway: "aws:ec2/natGateway:NatGateway",
    role: "aws:iam/role:Role",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    ecsService: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    lambda: "aws:lambda/function:Function",
    lambdaInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    eksCluster: "aws:eks/cluster:Cluster",
    eksComponent: "eks:index:Cluster",
    asg: "aws:autoscaling/group:Group",
} as const;

export const LOAD_BALANCER_TYPES = [
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
];

export const VPC_TYPES = new Set<string>([T.vpc, T.awsxVpc]);

export const WORKLOAD_TYPES = new Set<string>([
    T.ecsService,
    T.lambda,
    T.eksCluster,
    T.eksComponent,
    T.asg,
    "aws:eks/nodeGroup:NodeGroup",
    "aws:ec2/instance:Instance",
    ...LOAD_BALANCER_TYPES,
    "awsx:ecs:FargateService",
    "awsx:ecs:EC2Service",
    "awsx:lb:NetworkLoadBalancer",
    "awsx:lb:ApplicationLoadBalancer",
]);

/** Input properties through which a resource is placed in a VPC (directly or via subnets/SGs). */
export const PLACEMENT_PROPS = [
    "vpcId",
    "subnetId",
    "subnetIds",
    "subnets",
    "subnetMappings",
    "vpcConfig",
    "networkConfiguration",
    "vpcZoneIdentifiers",
    "privateSubnetIds",
    "publicSubnetIds",
    "nodeSubnetIds",
    "securityGroups",
    "securityGroupIds",
    "vpcSecurityGroupIds",
    "securityGroupId",
    "routeTableId",
    "routeTableIds",
    "networkLoadBalancerArns",
    "loadBalancerArn",
];

export class StackIndex {
    readonly byUrn = new Map<string, PolicyResource>();
    readonly byType = new Map<string, PolicyResource[]>();
    /** urn -> resources whose property dependencies name it, with the property. */
    private readonly referrers = new Map<string, { resource: PolicyResource; prop: string }[]>();
    private readonly vpcMemo = new Map<string, ReadonlySet<string>>();
    private readonly serviceMemo = new Map<string, string | undefined | Unknown>();

    constructor(readonly resources: PolicyResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            let list = this.byType.get(r.type);
            if (!list) {
                list = [];
                this.byType.set(r.type, list);
            }
            list.push(r);
            for (const [prop, deps] of Object.entries(r.propertyDependencies ?? {})) {
                for (const d of deps ?? []) {
                    if (!d) {
                        continue;
                    }
                    let refs = this.referrers.get(d.urn);
                    if (!refs) {
                        refs = [];
                        this.referrers.set(d.urn, refs);
                    }
                    refs.push({ resource: r, prop });
                }
            }
        }
    }

    ofType(...types: string[]): PolicyResource[] {
        const out: PolicyResource[] = [];
        for (const t of types) {
            const l = this.byType.get(t);
            if (l) {
                out.push(...l);
            }
        }
        return out;
    }

    /** Resources whose property `prop` (any property when omitted) depends on `urn`. */
    referencing(urn: string, prop?: string): PolicyResource[] {
        const refs = this.referrers.get(urn) ?? [];
        return refs.filter((x) => prop === undefined || x.prop === prop).map((x) => x.resource);
    }

    propDeps(r: PolicyResource, prop: string): PolicyResource[] {
        return (r.propertyDependencies?.[prop] ?? []).filter((d): d is PolicyResource => !!d);
    }

    /** URNs of the resources that some resource of `type` names through property `prop` (e.g. the VPCs that have a flow log). */
    namedBy(type: string, prop: string): Set<string> {
        return new Set(this.ofType(type).flatMap((r) => this.propDeps(r, prop).map((d) => d.urn)));
    }

    /** URNs of the VPCs a resource sits in, following placement property dependencies. */
    vpcsOf(r: PolicyResource): ReadonlySet<string> {
        const memo = this.vpcMemo.get(r.urn);
        if (memo) {
            return memo;
        }
        if (VPC_TYPES.has(r.type)) {
            const s = new Set([r.urn]);
            this.vpcMemo.set(r.urn, s);
            return s;
        }
        // Guard against cycles while resolving.
        this.vpcMemo.set(r.urn, new Set());
        const out = new Set<string>();
        for (const prop of PLACEMENT_PROPS) {
            for (const d of this.propDeps(r, prop)) {
                for (const v of this.vpcsOf(d)) {
                    out.add(v);
                }
            }
        }
        this.vpcMemo.set(r.urn, out);
        return out;
    }

    /** The `privatelink:service` tag of a resource, or of its nearest tagged ancestor. */
    serviceOf(r: PolicyResource): string | undefined | Unknown {
        if (this.serviceMemo.has(r.urn)) {
            return this.serviceMemo.get(r.urn);
        }
        this.serviceMemo.set(r.urn, undefined); // guards against parent cycles
        let s = tag(r.props, TAG_SERVICE);
        if (s === undefined && r.parent) {
            s = this.serviceOf(r.parent);
        }
        this.serviceMemo.set(r.urn, s);
        return s;
    }

    /** The microservice owning a VPC: its `privatelink:service` tag. */
    ownerOfVpc(vpcUrn: string): string | undefined | Unknown {
        const vpc = this.byUrn.get(vpcUrn);
        return vpc ? this.serviceOf(vpc) : undefined;
    }

    /** A string property, or UNKNOWN, without throwing. */
    prop(r: PolicyResource, ...path: (string | number)[]): unknown {
        return peek(r.props, ...path);
    }
}

const cache = new WeakMap<PolicyResource[], StackIndex>();

export function stackIndex(resources: PolicyResource[]): StackIndex {
    let idx = cache.get(resources);
    if (!idx) {
        idx = new StackIndex(resources);
        cache.set(resources, idx);
    }
    return idx;
}

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

export function label(r: PolicyResource): string {
    return `${r.type} "${r.name}" (${r.urn})`;
}

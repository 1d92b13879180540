import { isRecord, UNKNOWN } from "../values";
import { NetRecord } from "./records";

/**
 * Lookups over a set of records (one stack's, or a whole environment's):
 * by URN, by type, by the values other resources use to refer to them (ids,
 * ARNs, names, service names, prefix-list ids) and the reverse of property
 * dependencies. A reference is resolved through its value when the value is
 * known, else through the property's dependencies (URNs are known in preview).
 */
export const TY = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRta: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    sgEgress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointRta: "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
    endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
    principal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
    accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    tgAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    asgAttachment: "aws:autoscaling/attachment:Attachment",
    asg: "aws:autoscaling/group:Group",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    ecsService: "aws:ecs/service:Service",
    lambda: "aws:lambda/function:Function",
    lambdaPermission: "aws:lambda/permission:Permission",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    eksCluster: "aws:eks/cluster:Cluster",
    eksComponent: "eks:index:Cluster",
    k8sService: "kubernetes:core/v1:Service",
} as const;

/** Every type the model reads properties of (besides tags). */
export const MODELLED_TYPES: ReadonlySet<string> = new Set<string>([
    ...Object.values(TY),
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:alb/listener:Listener",
    "aws:alb/targetGroup:TargetGroup",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2transitgateway/transitGateway:TransitGateway",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "pulumi:pulumi:Stack",
]);

const LB_TYPES = new Set<string>([TY.lb, "aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"]);
const LISTENER_TYPES = new Set<string>([TY.listener, "aws:alb/listener:Listener"]);
const TG_TYPES = new Set<string>([TY.targetGroup, "aws:alb/targetGroup:TargetGroup"]);

export function normType(t: string): string {
    if (LB_TYPES.has(t)) return TY.lb;
    if (LISTENER_TYPES.has(t)) return TY.listener;
    if (TG_TYPES.has(t)) return TY.targetGroup;
    if (t === "aws:alb/targetGroupAttachment:TargetGroupAttachment") return TY.tgAttachment;
    return t;
}

/** Output properties through which other resources refer to a resource. */
const REF_PROPS = ["id", "arn", "name", "serviceName", "prefixListId", "clusterSecurityGroupId", "defaultRouteTableId", "mainRouteTableId"];

export type Val = unknown;

export class NetIndex {
    readonly byUrn = new Map<string, NetRecord>();
    private readonly byType = new Map<string, NetRecord[]>();
    /** value -> records that carry it in a reference property (with the property). */
    private readonly byValue = new Map<string, { r: NetRecord; prop: string }[]>();
    private readonly serviceMemo = new Map<string, string | undefined>();

    constructor(readonly records: NetRecord[]) {
        for (const r of records) {
            this.byUrn.set(r.urn, r);
            const t = normType(r.type);
            const l = this.byType.get(t);
            if (l) l.push(r);
            else this.byType.set(t, [r]);
            for (const p of REF_PROPS) {
                const v = r.props[p];
                if (typeof v === "string" && v !== "") {
                    const e = this.byValue.get(v);
                    if (e) e.push({ r, prop: p });
                    else this.byValue.set(v, [{ r, prop: p }]);
                }
            }
        }
    }

    ofType(t: string): NetRecord[] {
        return this.byType.get(t) ?? [];
    }

    /**
     * What a reference resolves to: for a known value, the records carrying it
     * (restricted to `types`); for an unknown one, the property's dependencies
     * of those types. `literal` holds known values that match no record.
     */
    resolve(r: NetRecord, prop: string, value: Val, types: string[]): { targets: NetRecord[]; literal?: string; unknown: boolean } {
        const want = new Set(types);
        if (typeof value === "string") {
            const hits = (this.byValue.get(value) ?? []).filter((x) => want.has(normType(x.r.type))).map((x) => x.r);
            if (hits.length > 0) return { targets: unique(hits), unknown: false };
            // A value read from a nested output (e.g. a node group's Auto Scaling group name) matches no
            // record: its property dependencies still name the resource it came from.
            const deps = this.depsOf(r, prop, want);
            return deps.length > 0 ? { targets: deps, unknown: false } : { targets: [], literal: value, unknown: false };
        }
        if (value === UNKNOWN) {
            const deps = this.depsOf(r, prop, want);
            return { targets: deps, unknown: deps.length === 0 };
        }
        return { targets: [], unknown: false };
    }

    private depsOf(r: NetRecord, prop: string, want: Set<string>): NetRecord[] {
        return (r.deps[prop] ?? []).map((u) => this.byUrn.get(u)).filter((x): x is NetRecord => !!x && want.has(normType(x.type)));
    }

    /** Resolves every element of a list property (or a single value). */
    resolveAll(r: NetRecord, prop: string, value: Val, types: string[]): { targets: NetRecord[]; literals: string[]; unknown: boolean } {
        const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
        const out: NetRecord[] = [];
        const literals: string[] = [];
        let unknown = false;
        let usedDeps = false;
        for (const v of values) {
            if (v === UNKNOWN) {
                if (usedDeps) continue; // a property's dependencies stand for all its unknown elements at once
                usedDeps = true;
            }
            const res = this.resolve(r, prop, v, types);
            out.push(...res.targets);
            if (res.literal) literals.push(res.literal);
            unknown = unknown || res.unknown;
        }
        return { targets: unique(out), literals, unknown };
    }

    one(r: NetRecord, prop: string, types: string[]): NetRecord | undefined {
        return this.resolveAll(r, prop, r.props[prop], types).targets[0];
    }

    /** The `privatelink:service` tag of a record or its nearest tagged ancestor. */
    serviceOf(r: NetRecord | undefined): string | undefined {
        if (!r) return undefined;
        if (this.serviceMemo.has(r.urn)) return this.serviceMemo.get(r.urn);
        this.serviceMemo.set(r.urn, undefined);
        const tags = r.props.tags;
        let s: string | undefined;
        const listed = Array.isArray(tags) ? tags.find((t) => isRecord(t) && t.key === "privatelink:service") : undefined;
        if (isRecord(tags) && typeof tags["privatelink:service"] === "string") {
            s = tags["privatelink:service"] as string;
        } else if (isRecord(listed) && typeof listed.value === "string") {
            s = listed.value; // Auto Scaling groups: [{key, value, propagateAtLaunch}]
        } else if (r.parent) {
            s = this.serviceOf(this.byUrn.get(r.parent));
        }
        this.serviceMemo.set(r.urn, s);
        return s;
    }
}

export function unique<T>(xs: T[]): T[] {
    return [...new Set(xs)];
}

export function strs(v: unknown): (string | typeof UNKNOWN)[] {
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    return list.filter((x): x is string | typeof UNKNOWN => typeof x === "string" || x === UNKNOWN);
}

export function numOf(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
    return undefined;
}

/**
 * The front door's paths as the plan will create them: for every API Gateway
 * method, the hops a client request takes, found by following the records'
 * property dependencies (URNs), never names:
 *
 *   client → stage → method → integration → VPC link → edge ALB → listener
 *   rule → target group → interface endpoint → endpoint service → NLB →
 *   listener → target group → … → workload
 *
 * or, for a direct Lambda integration, method → integration → function.
 * A path that stops early is reported with the hop where it stops, so a
 * broken wiring shows in the plan instead of at the first request.
 */
import type { EngineStep } from "./engine-steps";
import type { ResourceRecord } from "./monitor";

/** An API Gateway deployment: the snapshot a stage serves. */
const FRONT_DOOR_DEPLOYMENT = "aws:apigateway/deployment:Deployment";

/** The resource types on a front-door path (tests follow the same hops). */
export const FRONT_DOOR_PATH_TYPES = {
    stage: "aws:apigateway/stage:Stage",
    method: "aws:apigateway/method:Method",
    resource: "aws:apigateway/resource:Resource",
    integration: "aws:apigateway/integration:Integration",
    vpcLink: "aws:apigatewayv2/vpcLink:VpcLink",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    attachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
    ecsService: "aws:ecs/service:Service",
    function: "aws:lambda/function:Function",
    asg: "aws:autoscaling/group:Group",
} as const;
const T = FRONT_DOOR_PATH_TYPES;

export interface PathHop {
    /** What the hop is, e.g. "VPC link", "interface endpoint". */
    what: string;
    /** The resource's logical name. */
    name: string;
    urn: string;
}

export interface FrontDoorPath {
    /** `GET /orders`: the method and the resource path it serves. */
    route: string;
    /** Hops from the stage to the workload, in order. */
    hops: PathHop[];
    /** True when the walk reached a workload. */
    complete: boolean;
    /** Where and why the walk stopped, when it did. */
    stoppedAt?: string;
}

class Index {
    readonly byUrn = new Map<string, ResourceRecord>();
    private readonly byType = new Map<string, ResourceRecord[]>();

    constructor(records: readonly ResourceRecord[]) {
        for (const r of records) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type) ?? [];
            list.push(r);
            this.byType.set(r.type, list);
        }
    }

    ofType(type: string): ResourceRecord[] {
        return this.byType.get(type) ?? [];
    }

    /** Records a property of `r` depends on. */
    deps(r: ResourceRecord, prop: string): ResourceRecord[] {
        return (r.propertyDependencies[prop] ?? []).map(u => this.byUrn.get(u)).filter((x): x is ResourceRecord => !!x);
    }

    /** Records of `type` one of whose properties (or `prop`) depends on `target`. */
    dependents(target: ResourceRecord, type: string, prop?: string): ResourceRecord[] {
        return this.ofType(type).filter(r =>
            prop
                ? (r.propertyDependencies[prop] ?? []).includes(target.urn)
                : Object.values(r.propertyDependencies).some(us => us.includes(target.urn)) || r.dependencies.includes(target.urn));
    }
}

const hop = (what: string, r: ResourceRecord): PathHop => ({ what, name: r.name, urn: r.urn });

/** The resource path of a method: its resource's path parts up to the API root. */
function resourcePath(ix: Index, method: ResourceRecord): string {
    const parts: string[] = [];
    let [resource] = ix.deps(method, "resourceId");
    for (let guard = 0; resource && resource.type === T.resource && guard < 64; guard++) {
        parts.unshift(String(resource.inputs.pathPart ?? "?"));
        [resource] = ix.deps(resource, "parentId");
    }
    return `/${parts.join("/")}`;
}

/** Whether the rule's ALB path patterns (`/orders`, `/orders/*`) admit the resource path (`{proxy+}` stands for any segment). */
function ruleMatches(rule: ResourceRecord, path: string): boolean {
    const conditions = Array.isArray(rule.inputs.conditions) ? rule.inputs.conditions as Record<string, unknown>[] : [];
    const patterns = conditions.flatMap(c => {
        const values = (c?.pathPattern as { values?: unknown } | undefined)?.values;
        return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
    });
    const plain = path.replace(/\{[^}]*\}/g, "x");
    return patterns.some(p => {
        const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
        return re.test(plain);
    });
}

/** From a provider's NLB target group to the workload behind it, per runtime. */
function workloadBehind(ix: Index, tg: ResourceRecord, hops: PathHop[]): boolean {
    const ecs = ix.dependents(tg, T.ecsService, "loadBalancers");
    if (ecs.length > 0) {
        hops.push(hop("ECS service", ecs[0]));
        return true;
    }
    const asg = ix.ofType(T.asg).filter(g => (g.propertyDependencies.targetGroupArns ?? []).includes(tg.urn));
    if (asg.length > 0) {
        hops.push(hop("EKS node group (NodePort)", asg[0]));
        return true;
    }
    for (const att of ix.dependents(tg, T.attachment, "targetGroupArn")) {
        const [target] = ix.deps(att, "targetId");
        if (!target) continue;
        if (target.type === T.function) {
            hops.push(hop("Lambda function", target));
            return true;
        }
        if (target.type === T.lb) {
            hops.push(hop("internal ALB", target));
            const [listener] = ix.dependents(target, T.listener, "loadBalancerArn");
            const [next] = listener ? ix.deps(listener, "defaultActions").filter(r => r.type === T.targetGroup) : [];
            if (next) {
                hops.push(hop("target group", next));
                return workloadBehind(ix, next, hops);
            }
        }
    }
    // EKS node groups register through the remote component's own ASG: the
    // NodePort target group is the last hop the plan shows.
    const nodePort = ix.ofType("eks:index:ManagedNodeGroup").length > 0 || tg.inputs.targetType === "instance";
    if (nodePort) {
        hops.push({ what: "EKS nodes (instance targets)", name: tg.name, urn: tg.urn });
        return true;
    }
    return false;
}

/** From an interface endpoint to the provider's workload. */
function meshTail(ix: Index, endpoint: ResourceRecord, hops: PathHop[]): string | undefined {
    const [service] = ix.deps(endpoint, "serviceName").filter(r => r.type === T.endpointService);
    if (!service) return "the endpoint's service name is not an endpoint service of this stack";
    hops.push(hop("endpoint service", service));
    const [nlb] = ix.deps(service, "networkLoadBalancerArns");
    if (!nlb) return "the endpoint service has no NLB";
    hops.push(hop("NLB", nlb));
    const [listener] = ix.dependents(nlb, T.listener, "loadBalancerArn");
    if (!listener) return "the NLB has no listener";
    hops.push(hop("NLB listener", listener));
    const [tg] = ix.deps(listener, "defaultActions").filter(r => r.type === T.targetGroup);
    if (!tg) return "the NLB listener forwards to no target group";
    hops.push(hop("target group", tg));
    return workloadBehind(ix, tg, hops) ? undefined : "no workload registers in the NLB's target group";
}

/** From the edge ALB of a VPC link integration to the interface endpoint of the route's service. */
function edgeTail(ix: Index, alb: ResourceRecord, path: string, hops: PathHop[]): string | undefined {
    const listeners = ix.dependents(alb, T.listener, "loadBalancerArn");
    const rules = listeners.flatMap(l => ix.dependents(l, T.rule, "listenerArn")).filter(r => ruleMatches(r, path));
    const rule = rules.sort((a, b) => Number(a.inputs.priority ?? 0) - Number(b.inputs.priority ?? 0))[0];
    if (!rule) return `no listener rule of the edge ALB matches ${path}`;
    hops.push(hop("edge listener rule", rule));
    const [tg] = ix.deps(rule, "actions").filter(r => r.type === T.targetGroup);
    if (!tg) return "the listener rule forwards to no target group";
    hops.push(hop("edge target group", tg));
    const attachments = ix.dependents(tg, T.attachment, "targetGroupArn");
    if (attachments.length === 0) return "no target registered in the edge target group";
    // The attachment's IP is the endpoint's network interface: it depends on
    // the endpoint (or its connection's acceptance) through the lookup.
    const endpoint = attachments.flatMap(a => [
        ...a.dependencies.map(u => ix.byUrn.get(u)),
        ...Object.values(a.propertyDependencies).flat().map(u => ix.byUrn.get(u)),
    ]).flatMap(r => (!r ? [] : r.type === T.endpoint ? [r] : r.type === T.accepter ? ix.deps(r, "vpcEndpointId") : []))[0];
    if (!endpoint) return "the edge target group's targets are not an interface endpoint";
    hops.push({ what: `edge targets (${attachments.length})`, name: attachments.map(a => a.name).join(", "), urn: attachments[0].urn });
    hops.push(hop("interface endpoint", endpoint));
    return meshTail(ix, endpoint, hops);
}

/** Every method's path through the front door, in a stable order. */
export function traceFrontDoor(records: readonly ResourceRecord[]): FrontDoorPath[] {
    const ix = new Index(records);
    const paths: FrontDoorPath[] = [];
    for (const method of ix.ofType(T.method)) {
        const path = resourcePath(ix, method);
        const verb = String(method.inputs.httpMethod ?? "?");
        const hops: PathHop[] = [];
        const [api] = ix.deps(method, "restApi");
        const stage = api ? ix.dependents(api, T.stage, "restApi")[0] : undefined;
        if (stage) hops.push(hop("stage", stage));
        hops.push(hop(`method (authorization ${String(method.inputs.authorization ?? "?")})`, method));
        const stop = (why: string): void => void paths.push({ route: `${verb} ${path}`, hops, complete: false, stoppedAt: why });
        const integration = ix.ofType(T.integration).find(i =>
            (i.propertyDependencies.httpMethod ?? []).includes(method.urn)
            || ((i.propertyDependencies.resourceId ?? []).some(u => (method.propertyDependencies.resourceId ?? []).includes(u)) && i.inputs.httpMethod === method.inputs.httpMethod));
        if (!integration) {
            stop("the method has no integration");
            continue;
        }
        hops.push(hop(`integration (${String(integration.inputs.type ?? "?")})`, integration));
        const [fn] = ix.deps(integration, "uri").filter(r => r.type === T.function);
        if (fn) {
            hops.push(hop("Lambda function", fn));
            paths.push({ route: `${verb} ${path}`, hops, complete: true });
            continue;
        }
        const [link] = ix.deps(integration, "connectionId").filter(r => r.type === T.vpcLink);
        if (!link) {
            stop("the integration is neither over a VPC link nor to a function of this stack");
            continue;
        }
        hops.push(hop("VPC link", link));
        const [alb] = ix.deps(integration, "integrationTarget").filter(r => r.type === T.lb);
        if (!alb) {
            stop("the integration names no load balancer of this stack");
            continue;
        }
        hops.push(hop("edge ALB", alb));
        const why = edgeTail(ix, alb, path, hops);
        paths.push(why ? { route: `${verb} ${path}`, hops, complete: false, stoppedAt: why } : { route: `${verb} ${path}`, hops, complete: true });
    }
    return paths.sort((a, b) => a.route.localeCompare(b.route));
}

/**
 * The plan's "Front door" section. Methods of one route that take the same
 * way (the route's prefix and its `{proxy+}` child, every verb) are one
 * entry, so a route reads as one line and its path as the next.
 */
export function renderFrontDoor(paths: readonly FrontDoorPath[], invokeUrl?: string): string[] {
    if (paths.length === 0) return [];
    const groups = new Map<string, { prefix: string; verbs: Set<string>; proxy: boolean; path: FrontDoorPath; auth: Set<string> }>();
    for (const p of paths) {
        const [verb, resource] = p.route.split(" ");
        const proxy = resource.endsWith("/{proxy+}");
        const prefix = proxy ? resource.slice(0, -"/{proxy+}".length) || "/" : resource;
        const tail = p.hops.slice(3).map(h => h.urn).join(" ");
        const key = `${prefix} ${p.complete} ${tail}`;
        const g = groups.get(key) ?? { prefix, verbs: new Set<string>(), proxy: false, path: p, auth: new Set<string>() };
        g.verbs.add(verb);
        g.proxy ||= proxy;
        g.auth.add(/authorization (\S+)\)/.exec(p.hops.find(h => h.what.startsWith("method"))?.what ?? "")?.[1] ?? "?");
        groups.set(key, g);
    }
    const complete = paths.filter(p => p.complete).length;
    const lines = [`Front door (${paths.length} methods, ${complete} reach a workload${invokeUrl ? `; ${invokeUrl}` : ""}):`];
    for (const g of [...groups.values()].sort((a, b) => a.prefix.localeCompare(b.prefix))) {
        const hops = g.path.hops.map(h => (h.what.startsWith("method") ? "method" : h.what.startsWith("integration") ? h.what : `${h.what} ${h.name}`));
        lines.push(`    ${g.path.complete ? "✓" : "❌"} ${g.prefix}${g.proxy ? " (and below)" : ""}  ${[...g.verbs].join(" ")}  auth ${[...g.auth].join("/")}`);
        lines.push(`        client → ${hops.join(" → ")}`);
        if (g.path.stoppedAt) lines.push(`        stops: ${g.path.stoppedAt}`);
    }
    lines.push("");
    return lines;
}

/** `GET /shop/{proxy+}`: the HTTP method and resource path of an API Gateway method record. */
function routeOf(ix: Index, method: ResourceRecord): string {
    return `${String(method.inputs.httpMethod ?? "?")} ${resourcePath(ix, method)}`;
}

export interface StageAfterUpdate {
    /** The routes the stage serves once the update finished, sorted. */
    served: string[];
    /** Whether the update created a new deployment for the stage. */
    redeployed: boolean;
}

/**
 * What the stage serves after updating from the plan `prev` to the plan
 * `next`, applying the engine's steps in the engine's order
 * (engine-steps.ts): an API Gateway deployment snapshots the methods that
 * exist when it is created ("A stage … represents a snapshot of the API",
 * API Gateway developer guide, "Deploy REST APIs in API Gateway"; changes
 * reach clients only through a new deployment: "Updates to REST APIs that
 * require redeployment"), and the stage serves its deployment's snapshot. A
 * method deleted before the new deployment is created is not in it; one
 * deleted after it still is.
 */
export function stageAfterUpdate(prev: readonly ResourceRecord[], next: readonly ResourceRecord[], steps: readonly EngineStep[]): StageAfterUpdate {
    const before = new Index(prev);
    const after = new Index(next);
    const live = new Map(before.ofType(T.method).map(m => [m.urn, routeOf(before, m)] as const));
    let served = [...new Set(live.values())];
    let redeployed = false;
    for (const s of steps) {
        if (s.type === T.method) {
            if (s.op === "create" || s.op === "create-replacement" || s.op === "update") live.set(s.urn, routeOf(after, s.next!));
            else if (s.op !== "same") live.delete(s.urn);
        } else if (s.type === FRONT_DOOR_DEPLOYMENT && (s.op === "create" || s.op === "create-replacement")) {
            served = [...new Set(live.values())];
            redeployed = true;
        }
    }
    return { served: served.sort(), redeployed };
}

/**
 * The front door route by route, by meaning: for every API Gateway method of
 * the plan, the route it serves (its HTTP method and the resource path its
 * resources spell up to the API root), who may call it (its authorization
 * and authorizer), and where its integration actually goes, followed through
 * property dependencies (URNs, known in preview), never through names:
 *
 *   stage → method → integration → VPC link (its subnets' VPC) → load
 *   balancer (integrationTarget, or a v1 link's targetArns) → listener → the
 *   rule whose path patterns match the path the load balancer sees (else the
 *   default action) → target group → its targets: an interface endpoint's
 *   addresses (through the accepter or the endpoint) → endpoint service → the
 *   service owning its NLB's VPC; a Lambda function, a workload registering
 *   itself (an ECS service, an Auto Scaling group or attachment) in a
 *   service's VPC; an ALB behind the group (followed again)
 *
 * or method → integration (AWS_PROXY) → Lambda function → its VPC's owner.
 *
 * Every resource walked is recorded as a hop, with where and why the walk
 * stopped. Past an endpoint service the walk goes on through the provider's
 * NLB to its workload, for the reader: that part is recorded, not judged.
 *
 * What a route means is compared with the catalog's routes
 * (lib/front-door.ts `catalogRoutes`) by `apigateway-routes-match-catalog`
 * and `apigateway-method-authorized`; the offline plan draws the same trace
 * (tools/preview/front-door-path.ts renders `hops`), so what the plan shows
 * is what the rules decide. Sources: API Gateway developer guide,
 * "Private integrations for REST APIs" and "Set up VPC links V2"
 * (integrationTarget names the load balancer a VPC link v2 integration
 * reaches; a v1 link's targets are NLBs), Elastic Load Balancing, "Listener
 * rules for your Application Load Balancer" (rules are evaluated in priority
 * order, the lowest first; the default action applies when none matches;
 * path patterns are case-sensitive, `*` matches any characters, `?` one).
 */
import { PolicyResource } from "@pulumi/policy";
import { APIGW } from "./apigateway";
import { endpointServiceOwner, graphOwner } from "./catalog";
import { CatalogRoute, FRONT_DOOR_CONSUMER } from "./front-door";
import { label, LOAD_BALANCER_TYPES, StackIndex, TYPES } from "./graph";
import { asArray, num, peek, str, Unknown, UNKNOWN } from "./values";

const LB_TYPES = new Set(LOAD_BALANCER_TYPES);
const VPC_LINK_TYPES = new Set<string>([APIGW.vpcLink, APIGW.vpcLinkV2]);

/** One resource the trace walked through, for the plan and for messages. */
export interface Hop {
    /** What the resource is on the path: "VPC link", "listener rule", "interface endpoint", ... */
    what: string;
    /** Its logical name (names of grouped hops joined, e.g. a target group's targets). */
    name: string;
    urn: string;
}

export interface TracedRoute {
    method: PolicyResource;
    /** The HTTP method (`GET`, `ANY`), or UNKNOWN. */
    verb: string | Unknown;
    /** `/orders/{proxy+}`: the method's resource path. */
    path: string;
    authorization: unknown;
    /** The authorizer the method names (authorizerId), when it is one of the plan. */
    authorizer?: PolicyResource;
    integration?: PolicyResource;
    /** MOCK, HTTP_PROXY, AWS_PROXY, ... */
    integrationType?: unknown;
    /** The VPC link, and the owners of the VPCs its subnets (v2) or its NLBs (v1) sit in. */
    link?: PolicyResource;
    linkOwners: (string | Unknown | undefined)[];
    /** The load balancers the integration reaches, with the owners of their VPCs. */
    loadBalancers: PolicyResource[];
    lbOwners: (string | Unknown | undefined)[];
    /** The services the route reaches (the owners of where its targets run). */
    services: Set<string>;
    /**
     * The resources walked, each once, in the order first walked: the stage
     * serving the method's API, the method, its integration, then either the
     * function or the VPC link, load balancer, listener, the rules matched,
     * target group, targets, accepter, interface endpoint, endpoint service,
     * and past it the service's own load balancer to its workload.
     */
    hops: Hop[];
    /** The path the load balancer sees (the integration URI's), UNKNOWN in preview. */
    requestPath?: string | Unknown;
    /** Why the trace did not reach a service, when it did not (it stopped after the last hop). */
    stoppedAt?: string;
    /**
     * Where the walk past an endpoint service (the provider's NLB, listener,
     * target group, workload) stopped, when it did. Shown by the plan, not
     * judged: the route reaches the service that owns the endpoint service's
     * NLB (lib/catalog.ts `endpointServiceOwner`) whatever runs behind it.
     */
    tailStoppedAt?: string;
    /** True when a value the trace needed is unknown (preview): the engine decides at `up`. */
    unknown: boolean;
}

/** The resource path of a method: its resources' path parts up to the API root (a resource depending on the API itself is the root). */
export function methodPath(idx: StackIndex, method: PolicyResource): string {
    const parts: string[] = [];
    let [resource] = idx.propDeps(method, "resourceId");
    for (let guard = 0; resource && resource.type === APIGW.resource && guard < 64; guard++) {
        const part = peek(resource.props, "pathPart");
        parts.unshift(typeof part === "string" ? part : "?");
        [resource] = idx.propDeps(resource, "parentId");
    }
    return `/${parts.join("/")}`;
}

/** The integration of a method: the one whose httpMethod depends on it, or on the same resource with the same literal HTTP method. */
export function integrationOf(idx: StackIndex, method: PolicyResource): PolicyResource | undefined {
    const resources = new Set(idx.propDeps(method, "resourceId").map((r) => r.urn));
    const verb = peek(method.props, "httpMethod");
    return idx.ofType(APIGW.integration).find(
        (i) =>
            idx.propDeps(i, "httpMethod").some((d) => d.urn === method.urn) ||
            (idx.propDeps(i, "resourceId").some((d) => resources.has(d.urn)) && typeof verb === "string" && peek(i.props, "httpMethod") === verb),
    );
}

/** Whether an ALB path pattern matches a request path (`{param}` segments stand for any text). */
export function pathPatternMatches(pattern: string, path: string): boolean {
    const plain = path.replace(/\{[^}]*\}/g, "x");
    let re = PATTERNS.get(pattern);
    if (!re) {
        re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
        PATTERNS.set(pattern, re);
    }
    return re.test(plain);
}

const PATTERNS = new Map<string, RegExp>();

/** A listener rule's path patterns, and whether it has conditions of other kinds (host, header, method, query, source IP). */
function ruleConditions(rule: PolicyResource): { patterns: string[]; others: boolean } | Unknown {
    const conditions = peek(rule.props, "conditions");
    if (conditions === UNKNOWN) return UNKNOWN;
    const patterns: string[] = [];
    let others = false;
    for (const c of asArray(conditions)) {
        const values = peek(c, "pathPattern", "values");
        if (values === UNKNOWN) return UNKNOWN;
        if (values === undefined) {
            others = true;
            continue;
        }
        for (const v of asArray(values)) if (typeof v === "string") patterns.push(v);
        const keys = typeof c === "object" && c !== null ? Object.keys(c).filter((k) => k !== "pathPattern" && (c as Record<string, unknown>)[k] !== undefined) : [];
        if (keys.length > 0) others = true;
    }
    return { patterns, others };
}

/**
 * The paths the load balancer may see for an integration path: as written,
 * and with a stage's name in front (the program's listener rules match both,
 * components/frontDoorRoutes.ts `albPathPatterns`).
 */
function requestPaths(path: string, stages: readonly string[]): string[] {
    return [path, ...stages.map((s) => `/${s}${path === "/" ? "" : path}`)];
}

/** The path of an integration's URI (`http://host/orders/{proxy}` → `/orders/{proxy}`); UNKNOWN while the URI is; undefined for no URI. */
export function uriPath(uri: unknown): string | Unknown | undefined {
    if (uri === UNKNOWN) return UNKNOWN;
    if (typeof uri !== "string") return undefined;
    const m = /^[a-z]+:\/\/[^/]*(\/[^?#]*)?/i.exec(uri);
    return m ? m[1] || "/" : undefined;
}

interface Reached {
    services: Set<string>;
    /** Where the walk past an endpoint service stopped (TracedRoute.tailStoppedAt). */
    tailStoppedAt?: string;
    hops: Hop[];
    /** URNs already walked (a hop is recorded once). */
    seen: Set<string>;
    stoppedAt?: string;
    unknown: boolean;
}

/** What a resource is on a path, by its type and (for load balancers) its kind. */
function whatOf(r: PolicyResource): string {
    if (LB_TYPES.has(r.type)) {
        const kind = peek(r.props, "loadBalancerType");
        return kind === "network" ? "NLB" : kind === "gateway" ? "GWLB" : "ALB";
    }
    return WHAT[r.type] ?? r.type.split(":").pop() ?? r.type;
}

const WHAT: Readonly<Record<string, string>> = {
    [APIGW.stage]: "stage",
    [APIGW.method]: "method",
    [APIGW.vpcLink]: "VPC link (v1)",
    [APIGW.vpcLinkV2]: "VPC link",
    [TYPES.listener]: "listener",
    [TYPES.listenerRule]: "listener rule",
    [TYPES.targetGroup]: "target group",
    [TYPES.connectionAccepter]: "endpoint connection accepter",
    [TYPES.vpcEndpoint]: "interface endpoint",
    [TYPES.endpointService]: "endpoint service",
    [TYPES.lambda]: "Lambda function",
    [TYPES.ecsService]: "ECS service",
    [TYPES.asg]: "Auto Scaling group",
    [TYPES.asgAttachment]: "Auto Scaling attachment",
    [TYPES.nodeGroup]: "EKS node group",
    [TYPES.instance]: "EC2 instance",
};

/** Records a hop, once. */
function walk(out: Reached, r: PolicyResource, what = whatOf(r)): void {
    if (out.seen.has(r.urn)) return;
    out.seen.add(r.urn);
    out.hops.push({ what, name: r.name, urn: r.urn });
}

/** Records a hop for several resources of one kind (a target group's targets), once. */
function walkAll(out: Reached, rs: readonly PolicyResource[], what: string): void {
    const fresh = rs.filter((r) => !out.seen.has(r.urn));
    if (fresh.length === 0) return;
    for (const r of fresh) out.seen.add(r.urn);
    out.hops.push({ what: `${what} (${fresh.length})`, name: fresh.map((r) => r.name).join(", "), urn: fresh[0].urn });
}

/** A workload (or where one runs) reached: recorded, and its service counted. */
function reachedWorkload(idx: StackIndex, w: PolicyResource, out: Reached): void {
    walk(out, w);
    const owner = ownerOf(idx, w);
    if (owner === UNKNOWN) out.unknown = true;
    else if (owner && owner !== FRONT_DOOR_CONSUMER) out.services.add(owner);
}

/** The service owning where a resource runs: its VPC's owner, else its own service tag. */
function ownerOf(idx: StackIndex, r: PolicyResource): string | undefined | Unknown {
    return graphOwner(idx, r) ?? idx.serviceOf(r);
}

/** Where a target group's targets run: the services behind them. */
function behindTargetGroup(idx: StackIndex, tg: PolicyResource, out: Reached, depth: number): void {
    walk(out, tg);
    const before = out.services.size;
    const attachments = idx.referencing(tg.urn, "targetGroupArn").filter((a) => a.type === TYPES.targetGroupAttachment);
    walkAll(out, attachments, "targets");
    for (const att of attachments) {
        const targets = [...idx.propDeps(att, "targetId"), ...(att.dependencies ?? []).filter((d): d is PolicyResource => !!d)];
        for (const t of targets) {
            let endpoint: PolicyResource | undefined;
            if (t.type === TYPES.connectionAccepter) {
                [endpoint] = idx.propDeps(t, "vpcEndpointId").filter((e) => e.type === TYPES.vpcEndpoint);
                if (endpoint) walk(out, t);
            } else if (t.type === TYPES.vpcEndpoint) endpoint = t;
            if (endpoint) {
                for (const svc of idx.propDeps(endpoint, "serviceName").filter((s) => s.type === TYPES.endpointService)) {
                    walk(out, endpoint);
                    walk(out, svc);
                    const owner = endpointServiceOwner(idx, svc);
                    if (owner === UNKNOWN) out.unknown = true;
                    else if (owner) out.services.add(owner);
                    if (depth < 4) behindEndpointService(idx, svc, out, depth + 1);
                }
                continue;
            }
            if (t.type === TYPES.lambda) {
                reachedWorkload(idx, t, out);
                continue;
            }
            if (LB_TYPES.has(t.type) && depth < 4) {
                behindLoadBalancer(idx, t, undefined, out, depth + 1);
            }
        }
    }
    // Workloads that register themselves: an ECS service's load balancers, an
    // Auto Scaling group's target groups, and an Auto Scaling attachment,
    // which registers every instance of its group (an EKS node group's) with
    // the target group (EC2 Auto Scaling API reference,
    // AttachLoadBalancerTargetGroups; user guide, "Use Elastic Load Balancing
    // to distribute traffic across the instances in your Auto Scaling
    // group"; @pulumi/aws 7.48 autoscaling.Attachment `lbTargetGroupArn`,
    // `autoscalingGroupName`).
    for (const w of [...idx.referencing(tg.urn, "loadBalancers"), ...idx.referencing(tg.urn, "targetGroupArns")]) reachedWorkload(idx, w, out);
    for (const a of idx.referencing(tg.urn, "lbTargetGroupArn").filter((r) => r.type === TYPES.asgAttachment)) {
        walk(out, a);
        const groups = idx.propDeps(a, "autoscalingGroupName");
        for (const g of groups) reachedWorkload(idx, g, out);
        if (groups.length === 0) reachedWorkload(idx, a, out);
    }
    if (out.services.size === before && !out.unknown) {
        out.stoppedAt ??= `no target of ${label(tg)} is a service's endpoint, function or workload`;
    }
}

/**
 * Past an endpoint service, for the plan: the provider's NLB, its listeners
 * and target groups, to the workload. Walked into the route's hops, but not
 * judged (the route reaches the endpoint service's owner): where it stops is
 * kept apart, as the tail's.
 */
function behindEndpointService(idx: StackIndex, svc: PolicyResource, out: Reached, depth: number): void {
    const tail: Reached = { services: new Set(), hops: out.hops, seen: out.seen, unknown: false };
    const nlbs = idx.propDeps(svc, "networkLoadBalancerArns").filter((d) => LB_TYPES.has(d.type));
    if (nlbs.length === 0) tail.stoppedAt = `${label(svc)} names no load balancer of this stack`;
    for (const nlb of nlbs) behindLoadBalancer(idx, nlb, undefined, tail, depth);
    if (tail.stoppedAt && tail.services.size === 0) out.tailStoppedAt ??= tail.stoppedAt;
}

/**
 * From a load balancer, the target groups a request path reaches: by
 * priority, every rule whose path patterns match (a rule with other
 * conditions too may or may not match, so the next ones count as well),
 * until one that surely matches; the listeners' default actions when none
 * surely does. Without a path (a load balancer behind a target group),
 * every rule and default action.
 */
function behindLoadBalancer(idx: StackIndex, lb: PolicyResource, paths: string[] | undefined, out: Reached, depth: number): void {
    // The front door's own load balancer is the edge's (its VPC is the edge VPC).
    walk(out, lb, graphOwner(idx, lb) === FRONT_DOOR_CONSUMER ? `edge ${whatOf(lb)}` : whatOf(lb));
    const listeners = idx.referencing(lb.urn, "loadBalancerArn").filter((l) => l.type === TYPES.listener);
    if (listeners.length === 0) {
        out.stoppedAt ??= `${label(lb)} has no listener`;
        return;
    }
    for (const listener of listeners) {
        const rules = idx
            .referencing(listener.urn, "listenerArn")
            .filter((r) => r.type === TYPES.listenerRule)
            .map((r) => ({ r, priority: num(peek(r.props, "priority")) ?? Number.MAX_SAFE_INTEGER, c: ruleConditions(r) }))
            .sort((a, b) => a.priority - b.priority);
        const chosen: PolicyResource[] = [];
        let sure = false;
        for (const { r, c } of rules) {
            if (paths === undefined) {
                chosen.push(r);
                continue;
            }
            if (typeof c === "symbol") {
                out.unknown = true;
                continue;
            }
            const pathMatches = c.patterns.length === 0 || c.patterns.some((p) => paths.some((rp) => pathPatternMatches(p, rp)));
            if (!pathMatches) continue;
            chosen.push(r);
            if (!c.others && c.patterns.length > 0) {
                sure = true;
                break;
            }
        }
        walk(out, listener);
        for (const r of chosen) walk(out, r);
        const groups = [...chosen.flatMap((r) => idx.propDeps(r, "actions")), ...(sure && paths !== undefined ? [] : idx.propDeps(listener, "defaultActions"))].filter((g) => g.type === TYPES.targetGroup);
        if (groups.length === 0) {
            const why =
                sure && paths !== undefined
                    ? `the rule that matches, ${chosen[chosen.length - 1].name}, forwards to no target group of this stack`
                    : chosen.length > 0
                    ? `neither the rules matched (${chosen.map((r) => r.name).join(", ")}) nor the default action forwards to a target group of this stack`
                    : `${paths === undefined ? "" : `no listener rule matches ${paths.join(" or ")}, and `}the default action forwards to no target group of this stack`;
            out.stoppedAt ??= `on ${label(listener)}, ${why}`;
        }
        for (const tg of groups) behindTargetGroup(idx, tg, out, depth);
    }
}

const traces = new WeakMap<StackIndex, TracedRoute[]>();

/** Every method of the plan, traced (once per plan: the rules that read it share it, and must not change it). */
export function traceRoutes(idx: StackIndex): TracedRoute[] {
    let known = traces.get(idx);
    if (!known) {
        known = trace(idx);
        traces.set(idx, known);
    }
    return known;
}

/** The stage serving a method's REST API (the first, when several do). */
function stageOf(idx: StackIndex, method: PolicyResource): PolicyResource | undefined {
    for (const api of idx.propDeps(method, "restApi")) {
        const [stage] = idx.referencing(api.urn, "restApi").filter((r) => r.type === APIGW.stage);
        if (stage) return stage;
    }
    return undefined;
}

function trace(idx: StackIndex): TracedRoute[] {
    const out: TracedRoute[] = [];
    const stages = idx.ofType(APIGW.stage).map((st) => peek(st.props, "stageName")).filter((n): n is string => typeof n === "string");
    for (const method of idx.ofType(APIGW.method)) {
        const verbValue = peek(method.props, "httpMethod");
        const verb = verbValue === UNKNOWN ? UNKNOWN : (str(verbValue) ?? "?").toUpperCase();
        const [authorizer] = idx.propDeps(method, "authorizerId").filter((a) => a.type === APIGW.authorizer);
        const t: TracedRoute = {
            method,
            verb,
            path: methodPath(idx, method),
            authorization: peek(method.props, "authorization"),
            authorizer,
            loadBalancers: [],
            linkOwners: [],
            lbOwners: [],
            services: new Set(),
            hops: [],
            unknown: false,
        };
        out.push(t);
        const reached: Reached = { services: t.services, hops: t.hops, seen: new Set(), unknown: false };
        const stage = stageOf(idx, method);
        if (stage) walk(reached, stage);
        walk(reached, method);
        const integration = integrationOf(idx, method);
        if (!integration) {
            t.stoppedAt = "the method has no integration";
            continue;
        }
        t.integration = integration;
        t.integrationType = peek(integration.props, "type");
        walk(reached, integration, `integration (${t.integrationType === UNKNOWN ? "type known after up" : String(t.integrationType ?? "?")})`);
        if (t.integrationType === UNKNOWN) t.unknown = true;
        if (t.integrationType === "MOCK") {
            t.stoppedAt = "a MOCK integration: API Gateway answers itself";
            continue;
        }
        const fns = idx.propDeps(integration, "uri").filter((d) => d.type === TYPES.lambda);
        if (fns.length > 0) {
            for (const fn of fns) reachedWorkload(idx, fn, reached);
            if (reached.services.size === 0 && !reached.unknown) reached.stoppedAt = "the function runs in no service's VPC";
        } else {
            const [link] = idx.propDeps(integration, "connectionId").filter((d) => VPC_LINK_TYPES.has(d.type));
            t.link = link;
            let lbs = idx.propDeps(integration, "integrationTarget").filter((d) => LB_TYPES.has(d.type));
            if (link) {
                walk(reached, link);
                const linkLbs = idx.propDeps(link, "targetArns").filter((d) => LB_TYPES.has(d.type));
                if (lbs.length === 0) lbs = linkLbs;
                const placed = link.type === APIGW.vpcLinkV2 ? [link] : linkLbs;
                t.linkOwners = placed.map((p) => graphOwner(idx, p));
            }
            t.loadBalancers = lbs;
            t.lbOwners = lbs.map((lb) => graphOwner(idx, lb));
            if (!link) {
                reached.stoppedAt = "the integration is over no VPC link of this stack and invokes no function of it";
            } else if (lbs.length === 0) {
                reached.stoppedAt = "the integration names no load balancer of this stack (integrationTarget)";
            } else {
                // The load balancer sees the integration URI's path, not the method's.
                const p = uriPath(peek(integration.props, "uri"));
                t.requestPath = p;
                if (p === UNKNOWN) reached.unknown = true;
                const paths = requestPaths(typeof p === "string" ? p : t.path, stages);
                for (const lb of lbs) behindLoadBalancer(idx, lb, paths, reached, 0);
            }
        }
        t.stoppedAt = reached.services.size === 0 ? reached.stoppedAt ?? "no service is reached" : undefined;
        t.tailStoppedAt = reached.tailStoppedAt;
        t.unknown ||= reached.unknown;
    }
    return out;
}

/** Whether a catalog route covers a traced method: its path prefix or `{proxy+}` child, and one of its methods (ANY covers every verb). */
export function covers(route: CatalogRoute, path: string, verb: string): boolean {
    const base = route.path === "/" ? "" : route.path;
    const pathOk = path === route.path || path === `${base}/{proxy+}`;
    return pathOk && (route.methods.includes(verb) || route.methods.includes("ANY"));
}

/** The authorization type API Gateway needs for a catalog auth (API Gateway developer guide, "Control and manage access to REST APIs"). */
export const AUTHORIZATION_OF: Readonly<Record<string, string>> = {
    cognito: "COGNITO_USER_POOLS",
    lambda: "CUSTOM",
    iam: "AWS_IAM",
    none: "NONE",
};

/**
 * The plan as a picture: what the plan's records say will exist, drawn as a
 * graph. Pure functions only: records (+ the stack's configuration) -> a
 * model of the topology -> a graph (clusters, nodes, edges) -> DOT or
 * Mermaid text. Rendering DOT to SVG is a thin step elsewhere
 * (tools/insights/render.ts), so everything here is testable without it.
 *
 * Read from the records, never from the catalog alone:
 *  - a service VPC is an `aws:ec2/vpc:Vpc`; its zones are the zone ids of
 *    the subnets whose `vpcId` depends on it; its runtime is the runtime
 *    component (`privatelink:runtime:*`) of the same service;
 *  - a consumer edge is an interface `aws:ec2/vpcEndpoint:VpcEndpoint`
 *    whose `serviceName` comes from an endpoint service of the plan
 *    (by URN, so it is known in preview too);
 *  - a cross-account principal is an entry of an endpoint service's
 *    `allowedPrincipals` whose account is not the endpoint service's own;
 *  - the front door is a `privatelink:edge:FrontDoor` component and what
 *    it holds (API Gateway, WAF, VPC links, its edge VPC and endpoints);
 *  - a service's stores are the tables, buckets, queues and topics tagged
 *    with its service and a `privatelink:data` name (a queue's dead-letter
 *    queue is drawn with it); its triggers are the event source mappings
 *    of its function (the queue they read, by property dependency) and the
 *    schedules of its EventBridge rules;
 *  - groups (shards, teams) come from the tags `privatelink:shard` /
 *    `privatelink:team` of a VPC, else from a service's `shard` / `team`
 *    field in the stack's catalog.
 */

import { FRONT_DOOR_COMPONENT } from "../../policies/lib/front-door";
import { PlanNode, recordGraph } from "../../policies/lib/plan/graph";
import type { PlanRecord } from "../../policies/lib/plan/record";
import { TAGS, TYPES } from "../../policies/lib/plan/types";
import { runtimeOfComponent } from "../../policies/facts/runtimes";
import { STORE_LABELS, STORE_RESOURCE_TYPES } from "../../policies/lib/service-needs";

/** A plan record (policies/lib/plan/record.ts), read through the plan graph. */
export type DiagramRecord = PlanRecord;

/** The front door's component type (the contract in policies/lib/front-door.ts). */
export const FRONT_DOOR_TYPE = FRONT_DOOR_COMPONENT;
const GROUP_TAGS = [TAGS.shard, TAGS.team];

export interface VpcBox {
    urn: string;
    /** The service the VPC belongs to (its `privatelink:service` tag), else the VPC's own name. */
    service: string;
    runtime?: string;
    /** Instance types of an EC2-backed runtime, when the plan names them. */
    instanceTypes: string[];
    zones: string[];
    cidr?: string;
    /** AWS-service endpoints in the VPC (`ecr.api`, `s3 (gateway)`, ...). */
    awsEndpoints: string[];
    /** The stores the service owns (`table orders`, `queue events (+DLQ)`, ...). */
    stores: string[];
    /** What invokes the service besides its consumers (`queue orders/events`, `rate(5 minutes)`). */
    triggers: string[];
    /** Ways out to the internet the plan gives the VPC: `IGW`, `NAT`, `egress-only IGW`. */
    internetPaths: string[];
    group?: string;
    /** URN of the front door this VPC belongs to (its edge VPC). */
    frontDoor?: string;
    /** In a focused diagram: consumer edges of this service to services not drawn. */
    outside?: number;
}

export interface EndpointServiceBox {
    urn: string;
    service: string;
    vpc?: string;
    acceptanceRequired: boolean;
    /** The endpoint service's account, when the plan knows it. */
    account?: string;
}

export interface ConsumerEdge {
    /** The interface endpoint's URN. */
    urn: string;
    /** URN of the VPC the endpoint is in. */
    vpc?: string;
    consumer: string;
    /** URN of the endpoint service it connects to; undefined when that is not in this plan (another stack's service). */
    endpointService?: string;
    provider: string;
}

export interface ExternalPrincipal {
    arn: string;
    account?: string;
    /** URNs of the endpoint services that admit it. */
    endpointServices: string[];
}

export interface FrontDoorBox {
    urn: string;
    name: string;
    apis: string[];
    stages: string[];
    methods: number;
    waf: boolean;
    vpcLinks: number;
    loadBalancers: number;
    domains: string[];
}

export interface TopologyModel {
    vpcs: VpcBox[];
    endpointServices: EndpointServiceBox[];
    edges: ConsumerEdge[];
    principals: ExternalPrincipal[];
    frontDoors: FrontDoorBox[];
}

export interface ModelOptions {
    /** The stack's configuration (`privatelink-platform:services` etc.), for groups the records do not tag. */
    stackConfig?: Record<string, unknown>;
    /** The account the stack deploys to, when known; otherwise read from the records. */
    accountId?: string;
}

/** A known, non-empty string (the graph reads an unknown value as the UNKNOWN marker, not a string). */
function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

const ARN_ACCOUNT = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** The account of an ARN (`arn:aws:iam::111:root` -> `111`) or a bare account id. */
export function accountOf(principal: string): string | undefined {
    if (/^\d{12}$/.test(principal)) return principal;
    return ARN_ACCOUNT.exec(principal)?.[1];
}

/** A stack-config value, parsed when the engine hands it over as a JSON string. */
function configList(stackConfig: Record<string, unknown>, suffix: string): unknown[] {
    const key = Object.keys(stackConfig).find(k => k.endsWith(suffix));
    let value = key ? stackConfig[key] : undefined;
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            value = undefined;
        }
    }
    return Array.isArray(value) ? value : [];
}

/**
 * `service name -> group` from the catalog: the shard that lists the service
 * (`privatelink-platform:shards`, issue 11), else the service's own `shard`
 * or `team` field.
 */
function catalogGroups(stackConfig: Record<string, unknown> | undefined): Map<string, string> {
    const groups = new Map<string, string>();
    if (!stackConfig) return groups;
    for (const s of configList(stackConfig, ":services")) {
        if (!s || typeof s !== "object") continue;
        const { name, shard, team } = s as Record<string, unknown>;
        const group = str(shard) ?? str(team);
        if (typeof name === "string" && group) groups.set(name, group);
    }
    for (const shard of configList(stackConfig, ":shards")) {
        if (!shard || typeof shard !== "object") continue;
        const { name, services } = shard as Record<string, unknown>;
        if (!str(name) || !Array.isArray(services)) continue;
        for (const service of services) if (typeof service === "string") groups.set(service, `shard ${name as string}`);
    }
    return groups;
}

/** The topology the plan will create, read from its records through the plan graph (policies/lib/plan/graph.ts). */
export function buildModel(records: DiagramRecord[], options: ModelOptions = {}): TopologyModel {
    const g = recordGraph(records);
    const tag = (n: PlanNode, key: string) => str(g.tag(n, key));
    const groups = catalogGroups(options.stackConfig);

    // The runtime of each service: its runtime component, with instance types when it has EC2 hosts.
    const runtimes = new Map<string, { label: string; instanceTypes: string[] }>();
    const runtimeOfUrn = new Map<string, string>();
    for (const n of g.nodes) {
        if (!n.type.startsWith("privatelink:runtime:")) continue;
        const kind = n.type.slice("privatelink:runtime:".length);
        runtimes.set(n.name, { label: runtimeOfComponent(n.type)?.label ?? kind.replace(/Service$/, ""), instanceTypes: [] });
        runtimeOfUrn.set(n.urn, n.name);
    }
    for (const n of [...g.ofType(TYPES.launchTemplate), ...g.ofType(TYPES.nodeGroup)]) {
        const types = n.kind === TYPES.launchTemplate ? [n.props.instanceType] : Array.isArray(n.props.instanceTypes) ? n.props.instanceTypes : [];
        if (types.length === 0) continue;
        for (let p = g.parentOf(n); p; p = g.parentOf(p)) {
            const service = runtimeOfUrn.get(p.urn);
            if (service === undefined) continue;
            const list = runtimes.get(service)!.instanceTypes;
            for (const t of types) if (str(t) && !list.includes(t as string)) list.push(t as string);
            break;
        }
    }

    const vpcNodes = g.ofType(TYPES.vpc);
    const vpcs: VpcBox[] = vpcNodes.map(n => {
        const service = tag(n, TAGS.service) ?? n.name.replace(/-vpc$/, "");
        const runtime = runtimes.get(service);
        const fd = g.ancestorOfType(n, FRONT_DOOR_TYPE);
        return {
            urn: n.urn,
            service,
            runtime: fd ? undefined : runtime?.label,
            instanceTypes: fd ? [] : runtime?.instanceTypes ?? [],
            zones: [],
            cidr: str(n.props.cidrBlock),
            awsEndpoints: [],
            stores: [],
            triggers: [],
            internetPaths: [],
            group: GROUP_TAGS.map(k => tag(n, k)).find(Boolean) ?? groups.get(service),
            frontDoor: fd?.urn,
        };
    });
    const vpcByUrn = new Map(vpcs.map(v => [v.urn, v]));
    /** The VPC a resource names in `vpcId`: by property dependency (known in preview), else by id. */
    const vpcOf = (n: PlanNode): VpcBox | undefined => {
        const v = g.depsOf(n, "vpcId").find(d => d.kind === TYPES.vpc) ?? g.one(n, "vpcId", [TYPES.vpc]);
        return v ? vpcByUrn.get(v.urn) : undefined;
    };

    const subnetVpc = new Map<string, VpcBox>();
    for (const s of g.ofType(TYPES.subnet)) {
        const vpc = vpcOf(s);
        if (!vpc) continue;
        subnetVpc.set(s.urn, vpc);
        const zone = str(s.props.availabilityZoneId) ?? str(s.props.availabilityZone);
        if (zone && !vpc.zones.includes(zone)) vpc.zones.push(zone);
    }
    for (const v of vpcs) v.zones.sort();
    // What would make a VPC reach the internet, wherever the plan attaches it.
    const INTERNET: Record<string, string> = {
        [TYPES.internetGateway]: "IGW",
        [TYPES.internetGatewayAttachment]: "IGW",
        [TYPES.egressOnlyInternetGateway]: "egress-only IGW",
        [TYPES.natGateway]: "NAT",
    };
    for (const n of g.ofType(...Object.keys(INTERNET))) {
        const label = INTERNET[n.kind];
        const subnet = g.depsOf(n, "subnetId").find(d => d.kind === TYPES.subnet);
        const vpc = vpcOf(n) ?? (subnet ? subnetVpc.get(subnet.urn) : undefined);
        if (vpc && !vpc.internetPaths.includes(label)) vpc.internetPaths.push(label);
    }

    // Endpoint services, in the VPC of their NLB's subnets (else the VPC of the same service).
    const serviceNodes = g.ofType(TYPES.endpointService);
    const endpointServices: EndpointServiceBox[] = serviceNodes.map(n => {
        const service = tag(n, TAGS.service) ?? n.name.replace(/-endpoint-service$/, "");
        let vpc: string | undefined;
        for (const lb of g.depsOf(n, "networkLoadBalancerArns")) {
            const sub = g.depsOf(lb, "subnets").map(s => subnetVpc.get(s.urn)).find(Boolean);
            if (sub) vpc = sub.urn;
        }
        vpc ??= vpcs.find(v => v.service === service && !v.frontDoor)?.urn;
        const arn = str(n.props.arn);
        return {
            urn: n.urn,
            service,
            vpc,
            acceptanceRequired: n.props.acceptanceRequired === true,
            account: (arn ? accountOf(arn) : undefined) ?? options.accountId ?? g.accountOf(n.urn),
        };
    });
    const esByUrn = new Map(endpointServices.map(e => [e.urn, e]));

    const mesh = new Map(g.meshEndpoints().map(m => [m.endpoint.urn, m]));
    const edges: ConsumerEdge[] = [];
    for (const n of g.ofType(TYPES.vpcEndpoint)) {
        const vpc = vpcOf(n);
        const target = mesh.get(n.urn)?.target;
        const consumer = tag(n, TAGS.consumer) ?? vpc?.service ?? n.name;
        if (target && esByUrn.has(target.urn)) {
            edges.push({ urn: n.urn, vpc: vpc?.urn, consumer, endpointService: target.urn, provider: esByUrn.get(target.urn)!.service });
            continue;
        }
        // A mesh endpoint to a service another stack provides (a shard's provider, read through a StackReference).
        const provider = tag(n, TAGS.provider);
        if (provider) {
            edges.push({ urn: n.urn, vpc: vpc?.urn, consumer, provider });
            continue;
        }
        // An AWS service's endpoint: com.amazonaws.<region>.<service>.
        const serviceName = str(n.props.serviceName);
        const m = serviceName ? /^com\.amazonaws\.[a-z0-9-]+\.(.+)$/.exec(serviceName) : null;
        if (vpc && m && !m[1].startsWith("vpce.")) {
            const label = n.props.vpcEndpointType === "Gateway" ? `${m[1]} (gateway)` : m[1];
            if (!vpc.awsEndpoints.includes(label)) vpc.awsEndpoints.push(label);
        }
    }
    for (const v of vpcs) v.awsEndpoints.sort();

    // Stores and triggers, on the VPC of the service they belong to.
    const serviceVpc = (service: string | undefined) => (service === undefined ? undefined : vpcs.find(v => v.service === service && !v.frontDoor));
    const storeName = (n: PlanNode) => tag(n, TAGS.data);
    const stores = g.ofType(...Object.keys(STORE_RESOURCE_TYPES)).filter(n => storeName(n) !== undefined);
    for (const n of stores) {
        const service = tag(n, TAGS.service);
        const name = storeName(n)!;
        const vpc = serviceVpc(service);
        // A dead-letter queue is drawn with the queue it serves.
        const served = name.endsWith("-dlq") ? stores.find(x => x !== n && x.type === n.type && tag(x, TAGS.service) === service && storeName(x) === name.slice(0, -4)) : undefined;
        if (!vpc || served) continue;
        const hasDlq = stores.some(x => x.type === n.type && tag(x, TAGS.service) === service && storeName(x) === `${name}-dlq`);
        vpc.stores.push(`${STORE_LABELS[STORE_RESOURCE_TYPES[n.type]]} ${name}${hasDlq ? " (+DLQ)" : ""}`);
    }
    for (const n of g.ofType("aws:lambda/eventSourceMapping:EventSourceMapping")) {
        const vpc = serviceVpc(tag(n, TAGS.service));
        const source = g.depsOf(n, "eventSourceArn").find(d => STORE_RESOURCE_TYPES[d.type] !== undefined);
        if (!vpc) continue;
        vpc.triggers.push(source ? `${STORE_LABELS[STORE_RESOURCE_TYPES[source.type]]} ${tag(source, TAGS.service) ?? "?"}/${storeName(source) ?? source.name}` : `events from ${str(n.props.eventSourceArn) ?? n.name}`);
    }
    for (const n of g.ofType("aws:cloudwatch/eventRule:EventRule")) {
        const vpc = serviceVpc(tag(n, TAGS.service));
        const schedule = str(n.props.scheduleExpression);
        if (vpc && schedule) vpc.triggers.push(schedule);
    }
    for (const v of vpcs) {
        v.stores.sort();
        v.triggers.sort();
    }

    const principals = new Map<string, ExternalPrincipal>();
    for (const n of serviceNodes) {
        const es = esByUrn.get(n.urn)!;
        for (const p of g.principalsOf(n)) {
            const arn = str(p);
            if (!arn) continue;
            const account = accountOf(arn);
            if (account !== undefined && account === es.account) continue;
            const entry = principals.get(arn) ?? { arn, account, endpointServices: [] };
            if (!entry.endpointServices.includes(es.urn)) entry.endpointServices.push(es.urn);
            principals.set(arn, entry);
        }
    }

    const frontDoors: FrontDoorBox[] = g.ofType(FRONT_DOOR_TYPE).map(fd => {
        const inside = g.nodes.filter(n => n !== fd && g.ancestorOfType(n, FRONT_DOOR_TYPE)?.urn === fd.urn);
        const has = (prefix: string) => inside.filter(n => n.type.startsWith(prefix));
        return {
            urn: fd.urn,
            name: fd.name,
            apis: has("aws:apigateway/restApi:").map(n => str(n.props.name) ?? n.name),
            stages: has("aws:apigateway/stage:").map(n => str(n.props.stageName) ?? n.name),
            methods: has("aws:apigateway/method:").length,
            waf: has("aws:wafv2/").length > 0,
            vpcLinks: has("aws:apigatewayv2/vpcLink:").length + has("aws:apigateway/vpcLink:").length,
            loadBalancers: inside.filter(n => n.kind === TYPES.loadBalancer).length,
            domains: has("aws:apigateway/domainName:").map(n => str(n.props.domainName) ?? n.name),
        };
    });

    return { vpcs, endpointServices, edges, principals: [...principals.values()].sort((a, b) => a.arn.localeCompare(b.arn)), frontDoors };
}

// ---------------------------------------------------------------------------
// Focus: one service's neighbourhood.

/**
 * The model reduced to the named services and everything within `depth`
 * consumer edges of them (either direction), with the principals and front
 * doors that reach what is kept. Throws on an unknown service, naming the
 * known ones.
 */
export function focusModel(model: TopologyModel, services: string[], depth = 1): TopologyModel {
    const known = new Set(model.vpcs.filter(v => !v.frontDoor).map(v => v.service));
    const unknown = services.filter(s => !known.has(s));
    if (unknown.length > 0) {
        throw new Error(`--diagram-focus: no service ${unknown.map(s => JSON.stringify(s)).join(", ")} in the plan; services: ${[...known].sort().join(", ")}`);
    }
    const near = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
        (near.get(a) ?? near.set(a, new Set()).get(a)!).add(b);
        (near.get(b) ?? near.set(b, new Set()).get(b)!).add(a);
    };
    for (const e of model.edges) link(e.consumer, e.provider);
    let frontier = new Set(services);
    const keep = new Set(services);
    for (let d = 0; d < depth; d++) {
        const next = new Set<string>();
        for (const s of frontier) for (const n of near.get(s) ?? []) if (!keep.has(n)) next.add(n);
        for (const n of next) keep.add(n);
        frontier = next;
    }
    const endpointServices = model.endpointServices.filter(e => keep.has(e.service));
    const esKept = new Set(endpointServices.map(e => e.urn));
    // An edge to another stack's service lives in the consumer's VPC: it stays with the consumer.
    const kept = (e: ConsumerEdge) => (e.endpointService ? esKept.has(e.endpointService) : keep.has(e.consumer));
    const edges = model.edges.filter(e => kept(e) && keep.has(e.consumer));
    const fdVpcs = new Set(model.vpcs.filter(v => v.frontDoor).map(v => v.urn));
    // A front door stays when it reaches a kept service.
    const frontDoorEdges = model.edges.filter(e => e.vpc && fdVpcs.has(e.vpc) && kept(e));
    const fdKept = new Set(frontDoorEdges.map(e => model.vpcs.find(v => v.urn === e.vpc)!.frontDoor!));
    const outside = new Map<string, number>();
    for (const e of model.edges) {
        if (e.endpointService && keep.has(e.consumer) !== keep.has(e.provider)) {
            const inside = keep.has(e.consumer) ? e.consumer : e.provider;
            outside.set(inside, (outside.get(inside) ?? 0) + 1);
        }
    }
    return {
        vpcs: model.vpcs
            .filter(v => (v.frontDoor ? fdKept.has(v.frontDoor) : keep.has(v.service)))
            .map(v => (outside.has(v.service) && !v.frontDoor ? { ...v, outside: outside.get(v.service) } : v)),
        endpointServices,
        edges: [...edges, ...frontDoorEdges.filter(e => !edges.includes(e))],
        principals: model.principals
            .map(p => ({ ...p, endpointServices: p.endpointServices.filter(u => esKept.has(u)) }))
            .filter(p => p.endpointServices.length > 0),
        frontDoors: model.frontDoors.filter(f => fdKept.has(f.urn)),
    };
}

// ---------------------------------------------------------------------------
// The graph: clusters, nodes and edges, independent of the output language.

export type NodeKind = "workload" | "endpointService" | "endpoint" | "principal" | "frontDoor" | "internet" | "loadBalancer" | "service" | "external";
export type EdgeKind = "privatelink" | "local" | "principal" | "public";

export interface GraphNode {
    id: string;
    lines: string[];
    kind: NodeKind;
}

export interface GraphCluster {
    id: string;
    lines: string[];
    kind: "vpc" | "group" | "frontDoor";
    nodes: GraphNode[];
    clusters: GraphCluster[];
}

export interface GraphEdge {
    id: string;
    from: string;
    to: string;
    kind: EdgeKind;
    label?: string;
}

export interface DiagramGraph {
    title: string;
    clusters: GraphCluster[];
    nodes: GraphNode[];
    edges: GraphEdge[];
}

export type Detail = "full" | "compact";

export interface GraphOptions {
    /** Diagram title, e.g. `privatelink-platform / dev`. */
    title?: string;
    /** full: per VPC its workload, endpoint service and each interface endpoint; compact: one node per service. */
    detail?: Detail | "auto";
    /** `auto` draws compact above this many VPCs (default 30). */
    compactAbove?: number;
}

/** A node or cluster id: letters, digits and underscores only (safe in DOT, Mermaid and SVG ids). */
export function safeId(...parts: string[]): string {
    return parts.map(p => p.replace(/[^A-Za-z0-9]+/g, "_")).join("__");
}

/** Ids the diagram gives to what a reader (or a test) looks for. */
export const ids = {
    vpc: (service: string) => safeId("vpc", service),
    workload: (service: string) => safeId("wl", service),
    service: (service: string) => safeId("svc", service),
    endpointService: (service: string) => safeId("eps", service),
    endpoint: (consumer: string, provider: string) => safeId("ep", consumer, provider),
    edge: (consumer: string, provider: string) => safeId("edge", consumer, provider),
    principal: (arn: string) => safeId("principal", arn),
    frontDoor: (name: string) => safeId("frontdoor", name),
};

function vpcLines(v: VpcBox, compact: boolean): string[] {
    const runtime = v.runtime ? `${v.runtime}${v.instanceTypes.length ? ` (${v.instanceTypes.join(", ")})` : ""}` : undefined;
    const head = v.frontDoor ? `edge VPC ${v.service}` : compact ? v.service : `VPC ${v.service}`;
    const lines = [runtime && !compact ? `${head} · ${runtime}` : head];
    if (runtime && compact) lines.push(runtime);
    const zones = v.zones.length ? `zones ${v.zones.join(", ")}` : "zones unknown";
    lines.push(`${zones} · ${v.internetPaths.length ? v.internetPaths.join(", ") : "no IGW, no NAT"}`);
    if (!compact && v.awsEndpoints.length) lines.push(`AWS endpoints: ${v.awsEndpoints.join(", ")}`);
    if (v.stores.length) lines.push(`data: ${v.stores.join(", ")}`);
    if (v.triggers.length) lines.push(`triggers: ${v.triggers.join(", ")}`);
    if (v.outside) lines.push(`+${v.outside} edge${v.outside === 1 ? "" : "s"} to services not drawn`);
    return lines;
}

function frontDoorLines(f: FrontDoorBox): string[] {
    const lines = [`front door ${f.name}`];
    const api = f.apis.length ? `API Gateway REST ${f.apis.join(", ")}` : "API Gateway";
    lines.push(f.stages.length ? `${api} · stage ${f.stages.join(", ")}` : api);
    const parts = [`${f.methods} method${f.methods === 1 ? "" : "s"}`, f.waf ? "WAF" : "no WAF"];
    if (f.vpcLinks) parts.push(`${f.vpcLinks} VPC link${f.vpcLinks === 1 ? "" : "s"}`);
    lines.push(parts.join(" · "));
    if (f.domains.length) lines.push(f.domains.join(", "));
    return lines;
}

/** Lays the model out as clusters, nodes and edges. */
export function toGraph(model: TopologyModel, options: GraphOptions = {}): DiagramGraph {
    const serviceVpcs = model.vpcs.filter(v => !v.frontDoor);
    const detail: Detail = options.detail === "full" || options.detail === "compact"
        ? options.detail
        : serviceVpcs.length > (options.compactAbove ?? 30) ? "compact" : "full";
    const compact = detail === "compact";
    const graph: DiagramGraph = { title: options.title ?? "plan", clusters: [], nodes: [], edges: [] };
    const used = new Set<string>();
    const unique = (id: string) => {
        let out = id;
        for (let i = 2; used.has(out); i++) out = `${id}_${i}`;
        used.add(out);
        return out;
    };

    const groups = new Map<string, GraphCluster>();
    const place = (v: VpcBox): { nodes: GraphNode[]; clusters: GraphCluster[] } => {
        if (!v.group) return graph;
        let g = groups.get(v.group);
        if (!g) {
            g = { id: unique(safeId("group", v.group)), lines: [v.group], kind: "group", nodes: [], clusters: [] };
            groups.set(v.group, g);
            graph.clusters.push(g);
        }
        return g;
    };

    // Where a service is reached (its endpoint service, or in compact mode the service itself) and where it calls from.
    const target = new Map<string, string>();
    const source = new Map<string, string>();
    const vpcClusters = new Map<string, GraphCluster>();
    const esByService = new Map(model.endpointServices.map(e => [e.service, e]));
    for (const v of serviceVpcs) {
        if (compact) {
            const node: GraphNode = { id: unique(ids.service(v.service)), lines: vpcLines(v, true), kind: "service" };
            place(v).nodes.push(node);
            target.set(v.service, node.id);
            source.set(v.urn, node.id);
            continue;
        }
        const cluster: GraphCluster = { id: unique(ids.vpc(v.service)), lines: vpcLines(v, false), kind: "vpc", nodes: [], clusters: [] };
        place(v).clusters.push(cluster);
        vpcClusters.set(v.urn, cluster);
        const workload: GraphNode = { id: unique(ids.workload(v.service)), lines: [v.service, v.runtime ? `${v.runtime} workload` : "workload"], kind: "workload" };
        cluster.nodes.push(workload);
        source.set(v.urn, workload.id);
        const es = esByService.get(v.service);
        if (es) {
            const node: GraphNode = {
                id: unique(ids.endpointService(v.service)),
                lines: ["endpoint service + internal NLB", es.acceptanceRequired ? "acceptance required" : "auto-accept"],
                kind: "endpointService",
            };
            cluster.nodes.push(node);
            target.set(v.service, node.id);
            graph.edges.push({ id: unique(safeId("nlb", v.service)), from: node.id, to: workload.id, kind: "local" });
        }
    }
    for (const es of model.endpointServices) {
        // An endpoint service in no VPC of the plan still gets a node.
        if (target.has(es.service)) continue;
        const node: GraphNode = { id: unique(ids.endpointService(es.service)), lines: [`endpoint service ${es.service}`], kind: "endpointService" };
        graph.nodes.push(node);
        target.set(es.service, node.id);
    }

    for (const f of model.frontDoors) {
        const title = /front[-_ ]?door/i.test(f.name) ? "API front door" : `API front door ${f.name}`;
        const cluster: GraphCluster = { id: unique(ids.frontDoor(f.name)), lines: [title], kind: "frontDoor", nodes: [], clusters: [] };
        graph.clusters.push(cluster);
        const api: GraphNode = { id: unique(safeId("api", f.name)), lines: frontDoorLines(f).slice(1), kind: "frontDoor" };
        cluster.nodes.push(api);
        const internet: GraphNode = { id: unique(safeId("internet", f.name)), lines: ["internet clients"], kind: "internet" };
        graph.nodes.push(internet);
        graph.edges.push({ id: unique(safeId("public", f.name)), from: internet.id, to: api.id, kind: "public", label: "HTTPS" });
        for (const v of model.vpcs.filter(x => x.frontDoor === f.urn)) {
            if (compact) {
                // One node for the whole front door: its edges leave from the API.
                source.set(v.urn, api.id);
                continue;
            }
            const vc: GraphCluster = { id: unique(ids.vpc(v.service)), lines: vpcLines(v, false), kind: "vpc", nodes: [], clusters: [] };
            cluster.clusters.push(vc);
            vpcClusters.set(v.urn, vc);
            const hop: GraphNode = f.loadBalancers > 0
                ? { id: unique(safeId("edge_alb", v.service)), lines: ["edge ALB", f.vpcLinks ? "behind the VPC link" : ""].filter(Boolean), kind: "loadBalancer" }
                : { id: unique(safeId("edge", v.service)), lines: ["edge"], kind: "loadBalancer" };
            vc.nodes.push(hop);
            source.set(v.urn, hop.id);
            graph.edges.push({ id: unique(safeId("vpclink", f.name, v.service)), from: api.id, to: hop.id, kind: "local", label: f.vpcLinks ? "VPC link" : undefined });
        }
        if (!model.vpcs.some(x => x.frontDoor === f.urn)) source.set(f.urn, api.id);
    }

    // Services other stacks provide (shards): one node each.
    for (const e of model.edges) {
        if (e.endpointService || target.has(e.provider)) continue;
        const node: GraphNode = { id: unique(safeId("external", e.provider)), lines: [e.provider, "in another stack"], kind: "external" };
        graph.nodes.push(node);
        target.set(e.provider, node.id);
    }

    // Consumer edges: interface endpoint -> endpoint service.
    for (const e of model.edges) {
        const to = target.get(e.provider);
        const from = e.vpc ? source.get(e.vpc) : undefined;
        if (!to) continue;
        const edgeId = unique(ids.edge(e.consumer, e.provider));
        const cluster = e.vpc ? vpcClusters.get(e.vpc) : undefined;
        if (compact || !cluster || !from) {
            graph.edges.push({ id: edgeId, from: from ?? to, to, kind: "privatelink" });
            continue;
        }
        const ep: GraphNode = { id: unique(ids.endpoint(e.consumer, e.provider)), lines: [`endpoint → ${e.provider}`], kind: "endpoint" };
        cluster.nodes.push(ep);
        graph.edges.push({ id: unique(safeId("calls", e.consumer, e.provider)), from, to: ep.id, kind: "local" });
        graph.edges.push({ id: edgeId, from: ep.id, to, kind: "privatelink" });
    }

    const esUrnToService = new Map(model.endpointServices.map(e => [e.urn, e.service]));
    for (const p of model.principals) {
        const node: GraphNode = {
            id: unique(ids.principal(p.arn)),
            lines: [p.account ? `account ${p.account}` : "principal", p.arn],
            kind: "principal",
        };
        graph.nodes.push(node);
        for (const u of p.endpointServices) {
            const service = esUrnToService.get(u)!;
            graph.edges.push({ id: unique(safeId("allowed", p.arn, service)), from: node.id, to: target.get(service)!, kind: "principal", label: "allowed principal" });
        }
    }
    return graph;
}

// ---------------------------------------------------------------------------
// Output languages.

function dotString(s: string): string {
    return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

const DOT_NODE: Record<NodeKind, string> = {
    workload: 'shape=box, style="rounded,filled", fillcolor="#dbeafe"',
    service: 'shape=box, style="rounded,filled", fillcolor="#dbeafe"',
    endpointService: 'shape=box, style="filled", fillcolor="#fef3c7"',
    endpoint: 'shape=box, style="filled", fillcolor="#e5e7eb"',
    principal: 'shape=box, style="dashed"',
    external: 'shape=box, style="rounded,dashed"',
    frontDoor: 'shape=box, style="filled", fillcolor="#fde2e2"',
    internet: "shape=ellipse",
    loadBalancer: 'shape=box, style="filled", fillcolor="#fef3c7"',
};
const DOT_EDGE: Record<EdgeKind, string> = {
    privatelink: 'style=dashed, color="#2563eb"',
    local: "",
    principal: 'style=dotted, color="#6b7280"',
    public: 'color="#dc2626"',
};

/** Above this many nodes, DOT output asks Graphviz for a cheaper layout. */
export const LARGE_GRAPH_NODES = 150;

function countNodes(graph: DiagramGraph): number {
    const inCluster = (c: GraphCluster): number => c.nodes.length + c.clusters.reduce((n, sub) => n + inCluster(sub), 0);
    return graph.nodes.length + graph.clusters.reduce((n, c) => n + inCluster(c), 0);
}

/** The graph in Graphviz's DOT language. */
export function toDot(graph: DiagramGraph): string {
    const out: string[] = [];
    out.push(`digraph ${dotString(graph.title)} {`);
    // Large graphs: fewer network-simplex and crossing-minimisation passes (Graphviz's
    // nslimit/nslimit1/mclimit: https://graphviz.org/docs/attrs/nslimit/, .../mclimit/).
    // At 200 services this cut dot's layout time about 3x for a layout of the same ranks
    // (docs/performance.md).
    const large = countNodes(graph) > LARGE_GRAPH_NODES ? "nslimit=2, nslimit1=2, mclimit=0.3, " : "";
    out.push(`  graph [${large}rankdir=LR, compound=true, fontname="Helvetica", fontsize=11, labelloc=t, label=${dotString(graph.title)}];`);
    out.push('  node [fontname="Helvetica", fontsize=10];');
    out.push('  edge [fontname="Helvetica", fontsize=9];');
    const node = (n: GraphNode, indent: string) =>
        out.push(`${indent}${dotString(n.id)} [id=${dotString(n.id)}, label=${dotString(n.lines.join("\n"))}, ${DOT_NODE[n.kind]}];`);
    const cluster = (c: GraphCluster, indent: string) => {
        out.push(`${indent}subgraph ${dotString(`cluster_${c.id}`)} {`);
        // Graph attributes inside a subgraph body are statements, each ended by ";" (a "," is a
        // syntax error there: https://graphviz.org/doc/info/lang.html, "stmt_list").
        const style = c.kind === "group" ? 'style="filled"; fillcolor="#f8fafc"' : c.kind === "frontDoor" ? 'style="rounded,dashed"' : 'style="rounded"';
        out.push(`${indent}  id=${dotString(c.id)}; label=${dotString(c.lines.join("\n"))}; ${style};`);
        for (const n of c.nodes) node(n, indent + "  ");
        for (const sub of c.clusters) cluster(sub, indent + "  ");
        out.push(`${indent}}`);
    };
    for (const c of graph.clusters) cluster(c, "  ");
    for (const n of graph.nodes) node(n, "  ");
    for (const e of graph.edges) {
        const attrs = [`id=${dotString(e.id)}`, DOT_EDGE[e.kind], e.label ? `label=${dotString(e.label)}` : ""].filter(Boolean);
        out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(", ")}];`);
    }
    out.push("}");
    return out.join("\n") + "\n";
}

function mermaidText(lines: string[]): string {
    return `"${lines.map(l => l.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;")).join("<br/>")}"`;
}

const MERMAID_SHAPE: Record<NodeKind, [string, string]> = {
    workload: ["(", ")"],
    service: ["(", ")"],
    endpointService: ["[", "]"],
    endpoint: ["[", "]"],
    principal: ["[/", "/]"],
    external: ["(", ")"],
    frontDoor: ["{{", "}}"],
    internet: ["((", "))"],
    loadBalancer: ["[", "]"],
};
const MERMAID_ARROW: Record<EdgeKind, string> = { privatelink: "-.->", local: "-->", principal: "-.->", public: "==>" };

/** The graph as a Mermaid flowchart (GitHub renders it in Markdown). */
export function toMermaid(graph: DiagramGraph): string {
    const out: string[] = ["flowchart LR"];
    const node = (n: GraphNode, indent: string) => {
        const [open, close] = MERMAID_SHAPE[n.kind];
        out.push(`${indent}${n.id}${open}${mermaidText(n.lines)}${close}`);
    };
    const cluster = (c: GraphCluster, indent: string) => {
        out.push(`${indent}subgraph ${c.id}[${mermaidText(c.lines)}]`);
        for (const n of c.nodes) node(n, indent + "  ");
        for (const sub of c.clusters) cluster(sub, indent + "  ");
        out.push(`${indent}end`);
    };
    for (const c of graph.clusters) cluster(c, "  ");
    for (const n of graph.nodes) node(n, "  ");
    for (const e of graph.edges) {
        const label = e.label ? `|${mermaidText([e.label])}|` : "";
        out.push(`  ${e.from} ${MERMAID_ARROW[e.kind]}${label} ${e.to}`);
    }
    return out.join("\n") + "\n";
}

export type DiagramFormat = "svg" | "dot" | "mermaid";

/** The format a file name asks for: `.svg`, `.dot`/`.gv`, `.mmd`/`.mermaid`. */
export function formatOf(file: string): DiagramFormat | undefined {
    const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
    switch (ext) {
        case "svg":
            return "svg";
        case "dot":
        case "gv":
            return "dot";
        case "mmd":
        case "mermaid":
            return "mermaid";
        default:
            return undefined;
    }
}

export interface DiagramOptions extends ModelOptions, GraphOptions {
    /** Draw only these services and their neighbourhood. */
    focus?: string[];
    /** How many consumer edges away from the focus to draw (default 1). */
    depth?: number;
}

/** Records -> graph, with the focus applied. */
export function diagramGraph(records: DiagramRecord[], options: DiagramOptions = {}): { model: TopologyModel; graph: DiagramGraph } {
    let model = buildModel(records, options);
    if (options.focus && options.focus.length > 0) model = focusModel(model, options.focus, options.depth ?? 1);
    return { model, graph: toGraph(model, options) };
}

import type { PolicyResource } from "@pulumi/policy";
import { isRecord, peek, tag, tagsOf, Unknown, UNKNOWN, UNKNOWN_SENTINEL } from "../values";
import type { PlanMode, PlanRecord } from "./record";
import { kindOf, NETWORK_KINDS, PLACEMENT_PROPS, TAGS, TYPES, VPC_TYPES } from "./types";

/**
 * The plan graph: one indexed view of a plan's resources, built once per
 * resource list and shared by every reader (the rules through lib/graph's
 * StackIndex, the reachability model, the quota count, the diagram, the
 * cost estimate, the plan diff and the environment checks).
 *
 * It is built either from the records the offline preview keeps
 * (`recordGraph`) or from the resources the engine hands a stack policy
 * (`planGraph`). Either way each resource is one `PlanNode`: its URN, type
 * and kind (the type with aliases folded, ./types.ts), parent, property
 * dependencies and dependencies by URN, and its properties as plain JSON
 * with the UNKNOWN marker where the value is not known yet. Properties are
 * copied when first read, and never through the engine's unknown-checking
 * proxy (a rule that must judge through the proxy reads the engine's own
 * resource, lib/graph.ts).
 *
 * Lookups: by URN, by kind, parents and ancestors, the resources that refer
 * to one (reverse property dependencies), tags and the service a resource
 * belongs to, the VPCs it is placed in, references resolved by value (ids,
 * ARNs, names, service names) or else by property dependency (URNs are
 * known in preview), the interface endpoints to endpoint services (the
 * mesh's and the front door's edges), principals of endpoint services, and
 * the account each stack deploys into.
 */

const UNKNOWN_TEXT = new Set(["<unknown>", "[secret]", UNKNOWN_SENTINEL]);

/** A recorded value with its unknown forms ("<unknown>", "[secret]", the engine's sentinel) as UNKNOWN. */
export function revive(v: unknown): unknown {
    if (typeof v === "string") {
        return UNKNOWN_TEXT.has(v) ? UNKNOWN : v;
    }
    if (Array.isArray(v)) {
        return v.map(revive);
    }
    if (isRecord(v)) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            out[k] = revive(v[k]);
        }
        return out;
    }
    return v;
}

/**
 * The object under @pulumi/policy's unknown-checking proxy (its
 * `__getSpecialProxyTarget` key, proxy.js), where unknowns are the engine's
 * sentinel string: copying it is much cheaper than reading through the proxy.
 */
function proxyTarget(props: unknown): Record<string, unknown> | undefined {
    try {
        const t = (props as Record<string, unknown> | undefined)?.["__getSpecialProxyTarget"];
        return isRecord(t) ? t : undefined;
    } catch {
        return undefined;
    }
}

/** Deep copy through the engine's proxy: unknown values become UNKNOWN instead of throwing. */
export function plain(v: unknown, depth = 0): unknown {
    if (depth > 40 || v === UNKNOWN) {
        return v;
    }
    if (typeof v === "string") {
        return UNKNOWN_TEXT.has(v) ? UNKNOWN : v;
    }
    if (Array.isArray(v)) {
        const out: unknown[] = [];
        const n = peek(v, "length");
        for (let i = 0; i < (typeof n === "number" ? n : 0); i++) {
            out.push(plain(peek(v, i), depth + 1));
        }
        return out;
    }
    if (typeof v === "object" && v !== null) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
            out[k] = plain(peek(v, k), depth + 1);
        }
        return out;
    }
    return v;
}

/** One resource of the plan. */
export abstract class PlanNode {
    /** The type with its aliases folded (./types.ts kindOf). */
    readonly kind: string;
    private cached?: Record<string, unknown>;
    private cachedTags?: { v: unknown };

    constructor(
        /** Position in the resource list the graph was built from. */
        readonly index: number,
        readonly urn: string,
        readonly type: string,
        readonly name: string,
        readonly parent: string | undefined,
        /** Property name -> URNs its value depends on. */
        readonly deps: Readonly<Record<string, readonly string[]>>,
        /** URNs the resource depends on (dependsOn and its properties'). */
        readonly dependencies: readonly string[],
    ) {
        this.kind = kindOf(type);
    }

    /** The record it was built from (offline). */
    abstract readonly record?: PlanRecord;

    /** All properties, copied. */
    protected abstract readProps(): Record<string, unknown>;

    /** One top-level property, copied. */
    protected abstract readKey(key: string): unknown;

    /** Its properties as a stack policy sees them, plain JSON with UNKNOWN for unknown values. */
    get props(): Record<string, unknown> {
        if (!this.cached) this.cached = this.readProps();
        return this.cached;
    }

    /** One top-level property, as in `props`, read without copying the others until `props` is read. */
    get(key: string): unknown {
        return this.cached ? this.cached[key] : this.readKey(key);
    }

    /** Its `tags` property (a map, or an Auto Scaling group's list of {key, value}). */
    get tags(): unknown {
        if (this.cached) return this.cached.tags;
        if (!this.cachedTags) this.cachedTags = { v: this.readKey("tags") };
        return this.cachedTags.v;
    }
}

/** A node of a recorded resource: properties merged as the engine shows them to a stack policy in `mode`. */
class RecordNode extends PlanNode {
    constructor(index: number, readonly record: PlanRecord, private readonly mode: PlanMode) {
        super(index, record.urn, record.type, record.name, record.parent ?? undefined, record.propertyDependencies ?? {}, record.dependencies ?? []);
    }

    /** The two property sets, the one that wins last. */
    private layers(): [Record<string, unknown>, Record<string, unknown>] {
        const inputs = this.record.inputs ?? {};
        const outputs = this.record.outputs ?? {};
        return this.mode === "up" ? [inputs, outputs] : [outputs, inputs];
    }

    protected readProps(): Record<string, unknown> {
        const [under, over] = this.layers();
        return revive({ ...(this.record.id !== undefined ? { id: this.record.id } : {}), ...under, ...over }) as Record<string, unknown>;
    }

    protected readKey(key: string): unknown {
        const [under, over] = this.layers();
        return revive(key in over ? over[key] : key in under ? under[key] : key === "id" ? this.record.id : undefined);
    }
}

/** A node of a resource the engine hands a stack policy: properties copied out of the engine's proxy. */
class ResourceNode extends PlanNode {
    readonly record = undefined;

    constructor(index: number, private readonly resource: PolicyResource, deps: Record<string, string[]>, dependencies: string[]) {
        super(index, resource.urn, resource.type, resource.name, resource.parent?.urn, deps, dependencies);
    }

    protected readProps(): Record<string, unknown> {
        const raw = proxyTarget(this.resource.props);
        return (raw ? revive(raw) : plain(this.resource.props)) as Record<string, unknown>;
    }

    protected readKey(key: string): unknown {
        const raw = proxyTarget(this.resource.props);
        return raw ? revive(raw[key]) : plain(peek(this.resource.props, key));
    }
}

/** An interface endpoint to an endpoint service (not an AWS service): one edge of the mesh or the front door. */
export interface MeshEndpoint {
    endpoint: PlanNode;
    /** The endpoint service it connects to, when it is among these records. */
    target?: PlanNode;
    /** Its service name when known but matching no record (another stack's endpoint service). */
    literal?: string;
}

/** Output properties through which other resources refer to a resource. */
const REF_PROPS = ["id", "arn", "name", "serviceName", "prefixListId", "clusterSecurityGroupId", "defaultRouteTableId", "defaultNetworkAclId", "mainRouteTableId"];

/** An AWS service's endpoint name: com.amazonaws.<region>.<service>, not an endpoint service's com.amazonaws.vpce.<region>.vpce-svc-… */
export function isAwsServiceName(name: unknown): boolean {
    return typeof name === "string" && /^com\.amazonaws\.[a-z0-9-]+\.(?!vpce)/.test(name) && !name.startsWith("com.amazonaws.vpce.");
}

export function unique<T>(xs: T[]): T[] {
    return [...new Set(xs)];
}

/** The strings of a value or list, UNKNOWN kept. */
export function strs(v: unknown): (string | typeof UNKNOWN)[] {
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
    return list.filter((x): x is string | typeof UNKNOWN => typeof x === "string" || x === UNKNOWN);
}

/** The stack name in a URN (urn:pulumi:<stack>::<project>::...). */
export function stackOfUrn(urn: string): string {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] ?? "";
}

export class PlanGraph {
    private readonly byUrn = new Map<string, PlanNode>();
    private readonly byKind = new Map<string, PlanNode[]>();
    private referrers?: Map<string, { node: PlanNode; prop: string }[]>;
    /** kind -> value -> nodes of that kind carrying the value in a reference property. */
    private readonly byValue = new Map<string, Map<string, { node: PlanNode; prop: string }[]>>();
    private readonly serviceMemo = new Map<string, string | undefined | Unknown>();
    private readonly vpcMemo = new Map<string, ReadonlySet<string>>();
    private accountByStack?: Map<string, string | undefined>;
    private meshMemo?: MeshEndpoint[];

    constructor(readonly nodes: readonly PlanNode[]) {
        for (const n of nodes) {
            this.byUrn.set(n.urn, n);
            const l = this.byKind.get(n.kind);
            if (l) l.push(n);
            else this.byKind.set(n.kind, [n]);
        }
    }

    /** The graph of recorded resources, properties as a stack policy sees them in `mode`. */
    static fromRecords(records: readonly PlanRecord[], mode: PlanMode): PlanGraph {
        return new PlanGraph(records.map((r, i) => new RecordNode(i, r, mode)));
    }

    /** The graph of the resources the engine hands a stack policy. */
    static fromResources(resources: readonly PolicyResource[]): PlanGraph {
        return new PlanGraph(
            resources.map((r, i) => {
                const deps: Record<string, string[]> = {};
                for (const [k, list] of Object.entries(r.propertyDependencies ?? {})) {
                    deps[k] = (list ?? []).filter((d) => !!d).map((d) => d.urn);
                }
                const dependencies = (r.dependencies ?? []).filter((d) => !!d).map((d) => d.urn);
                return new ResourceNode(i, r, deps, dependencies);
            }),
        );
    }

    // ------------------------------------------------------------ by URN, kind, parent

    node(urn: string | undefined): PlanNode | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    /** Nodes of the given types (aliases included), in plan order per type; the graph's own list, not to be changed. */
    ofType(...types: string[]): readonly PlanNode[] {
        if (types.length === 1) return this.byKind.get(kindOf(types[0])) ?? [];
        const out: PlanNode[] = [];
        for (const t of unique(types.map(kindOf))) out.push(...(this.byKind.get(t) ?? []));
        return out;
    }

    parentOf(n: PlanNode): PlanNode | undefined {
        return this.node(n.parent);
    }

    /** The nearest ancestor of the given type. */
    ancestorOfType(n: PlanNode, type: string): PlanNode | undefined {
        const kind = kindOf(type);
        const seen = new Set<string>();
        for (let p = this.parentOf(n); p && !seen.has(p.urn); p = this.parentOf(p)) {
            seen.add(p.urn);
            if (p.kind === kind) return p;
        }
        return undefined;
    }

    // ------------------------------------------------------------ dependencies

    /** Nodes property `prop` of `n` depends on. */
    depsOf(n: PlanNode, prop: string): PlanNode[] {
        const us = n.deps[prop];
        if (!us || us.length === 0) return [];
        const out: PlanNode[] = [];
        for (const u of us) {
            const d = this.byUrn.get(u);
            if (d) out.push(d);
        }
        return out;
    }

    /** Nodes `n` depends on (dependsOn and every property's dependencies). */
    dependenciesOf(n: PlanNode): PlanNode[] {
        return n.dependencies.map((u) => this.byUrn.get(u)).filter((d): d is PlanNode => !!d);
    }

    /** Nodes whose property `prop` (any property when omitted) depends on `urn`. */
    referencing(urn: string, prop?: string): PlanNode[] {
        if (!this.referrers) {
            const m = new Map<string, { node: PlanNode; prop: string }[]>();
            for (const n of this.nodes) {
                for (const [p, us] of Object.entries(n.deps)) {
                    for (const u of us) {
                        const l = m.get(u);
                        if (l) l.push({ node: n, prop: p });
                        else m.set(u, [{ node: n, prop: p }]);
                    }
                }
            }
            this.referrers = m;
        }
        const refs = this.referrers.get(urn) ?? [];
        return refs.filter((x) => prop === undefined || x.prop === prop).map((x) => x.node);
    }

    /** URNs of the nodes that some node of `type` names through property `prop` (e.g. the VPCs that have a flow log). */
    namedBy(type: string, prop: string): Set<string> {
        return new Set(this.ofType(type).flatMap((n) => this.depsOf(n, prop).map((d) => d.urn)));
    }

    // ------------------------------------------------------------ tags, services, VPCs

    /** A tag value: undefined when absent, UNKNOWN when not known yet. */
    tag(n: PlanNode, key: string): string | undefined | Unknown {
        return tag({ tags: n.tags }, key);
    }

    /** Every tag as a flat map, or UNKNOWN. */
    tags(n: PlanNode): Record<string, string> | Unknown {
        return tagsOf({ tags: n.tags });
    }

    /** The `privatelink:service` tag of a node, or of its nearest tagged ancestor. */
    serviceOf(n: PlanNode | undefined): string | undefined | Unknown {
        if (!n) return undefined;
        if (this.serviceMemo.has(n.urn)) return this.serviceMemo.get(n.urn);
        this.serviceMemo.set(n.urn, undefined); // guards against parent cycles
        let s = this.tag(n, TAGS.service);
        if (s === undefined && n.parent) s = this.serviceOf(this.node(n.parent));
        this.serviceMemo.set(n.urn, s);
        return s;
    }

    /** The service a node belongs to, when known. */
    serviceName(n: PlanNode | undefined): string | undefined {
        const s = this.serviceOf(n);
        return typeof s === "string" ? s : undefined;
    }

    /** URNs of the VPCs a node sits in, following placement property dependencies. */
    vpcsOf(n: PlanNode): ReadonlySet<string> {
        const memo = this.vpcMemo.get(n.urn);
        if (memo) return memo;
        if (VPC_TYPES.has(n.type)) {
            const s = new Set([n.urn]);
            this.vpcMemo.set(n.urn, s);
            return s;
        }
        this.vpcMemo.set(n.urn, new Set()); // guards against cycles while resolving
        const out = new Set<string>();
        for (const prop of PLACEMENT_PROPS) {
            const us = n.deps[prop];
            if (!us) continue;
            for (const u of us) {
                const d = this.byUrn.get(u);
                if (d) for (const v of this.vpcsOf(d)) out.add(v);
            }
        }
        this.vpcMemo.set(n.urn, out);
        return out;
    }

    /** The microservice owning a VPC: its `privatelink:service` tag. */
    ownerOfVpc(vpcUrn: string): string | undefined | Unknown {
        return this.serviceOf(this.node(vpcUrn));
    }

    // ------------------------------------------------------------ references

    private valueIndex(kind: string): Map<string, { node: PlanNode; prop: string }[]> {
        let m = this.byValue.get(kind);
        if (!m) {
            m = new Map();
            for (const n of this.byKind.get(kind) ?? []) {
                for (const p of REF_PROPS) {
                    const v = n.props[p];
                    if (typeof v === "string" && v !== "") {
                        const e = m.get(v);
                        if (e) e.push({ node: n, prop: p });
                        else m.set(v, [{ node: n, prop: p }]);
                    }
                }
            }
            this.byValue.set(kind, m);
        }
        return m;
    }

    /** Nodes of the given kinds carrying `value` in a reference property (id, ARN, name, ...), in plan order. */
    carrying(value: string, kinds: readonly string[]): PlanNode[] {
        const hits: PlanNode[] = [];
        for (const k of unique(kinds.map(kindOf))) for (const x of this.valueIndex(k).get(value) ?? []) hits.push(x.node);
        return kinds.length > 1 ? unique(hits).sort((a, b) => a.index - b.index) : unique(hits);
    }

    private depsOfKinds(n: PlanNode, prop: string, want: ReadonlySet<string>): PlanNode[] {
        return this.depsOf(n, prop).filter((d) => want.has(d.kind));
    }

    /**
     * What a reference resolves to: for a known value, the nodes carrying it
     * (of the given types); for an unknown one, the property's dependencies of
     * those types. `literal` holds a known value that matches no node.
     */
    resolve(n: PlanNode, prop: string, value: unknown, types: readonly string[]): { targets: PlanNode[]; literal?: string; unknown: boolean } {
        const want = new Set(types.map(kindOf));
        if (typeof value === "string") {
            const hits = this.carrying(value, types);
            if (hits.length > 0) return { targets: hits, unknown: false };
            // A value read from a nested output (e.g. a node group's Auto Scaling group name) matches no
            // record: its property dependencies still name the resource it came from.
            const deps = this.depsOfKinds(n, prop, want);
            return deps.length > 0 ? { targets: deps, unknown: false } : { targets: [], literal: value, unknown: false };
        }
        if (value === UNKNOWN) {
            const deps = this.depsOfKinds(n, prop, want);
            return { targets: deps, unknown: deps.length === 0 };
        }
        return { targets: [], unknown: false };
    }

    /** Resolves every element of a list property (or a single value). */
    resolveAll(n: PlanNode, prop: string, value: unknown, types: readonly string[]): { targets: PlanNode[]; literals: string[]; unknown: boolean } {
        const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
        const out: PlanNode[] = [];
        const literals: string[] = [];
        let unknown = false;
        let usedDeps = false;
        for (const v of values) {
            if (v === UNKNOWN) {
                if (usedDeps) continue; // a property's dependencies stand for all its unknown elements at once
                usedDeps = true;
            }
            const res = this.resolve(n, prop, v, types);
            out.push(...res.targets);
            if (res.literal) literals.push(res.literal);
            unknown = unknown || res.unknown;
        }
        return { targets: unique(out), literals, unknown };
    }

    /** The first node property `prop` of `n` refers to. */
    one(n: PlanNode, prop: string, types: readonly string[]): PlanNode | undefined {
        return this.resolveAll(n, prop, n.props[prop], types).targets[0];
    }

    // ------------------------------------------------------------ edges and principals

    /**
     * Interface endpoints to endpoint services, with the service each
     * connects to: by its `serviceName` (value, else property dependency).
     * Endpoints to AWS services are not among them.
     */
    meshEndpoints(): readonly MeshEndpoint[] {
        if (!this.meshMemo) {
            const out: MeshEndpoint[] = [];
            for (const ep of this.ofType(TYPES.vpcEndpoint)) {
                const type = ep.props.vpcEndpointType;
                if (type !== "Interface" && type !== undefined) continue;
                const sn = ep.props.serviceName;
                if (isAwsServiceName(sn)) continue;
                const res = this.resolve(ep, "serviceName", sn, [TYPES.endpointService]);
                const target = res.targets[0] ?? (typeof sn === "string" ? undefined : this.resolveAll(ep, "serviceName", UNKNOWN, [TYPES.endpointService]).targets[0]);
                out.push({ endpoint: ep, target, literal: target ? undefined : typeof sn === "string" ? sn : undefined });
            }
            this.meshMemo = out;
        }
        return this.meshMemo;
    }

    /** The listeners of a load balancer. */
    listenersOf(lb: PlanNode): PlanNode[] {
        return this.group("listeners", this.ofType(TYPES.listener), (l) => [this.one(l, "loadBalancerArn", [TYPES.loadBalancer])?.urn]).get(lb.urn) ?? [];
    }

    /** The connection accepters that name an endpoint. */
    acceptersOf(endpoint: PlanNode): PlanNode[] {
        return this.group("accepters", this.ofType(TYPES.connectionAccepter), (a) => [this.one(a, "vpcEndpointId", [TYPES.vpcEndpoint])?.urn]).get(endpoint.urn) ?? [];
    }

    /** The principals an endpoint service admits: its `allowedPrincipals` and its VpcEndpointServiceAllowedPrinciple resources (UNKNOWN where not known yet). */
    principalsOf(service: PlanNode): (string | typeof UNKNOWN)[] {
        const principals = this.group("principals", this.ofType(TYPES.endpointServicePrincipal), (p) => [this.one(p, "vpcEndpointServiceId", [TYPES.endpointService])?.urn]).get(service.urn) ?? [];
        return [...strs(service.props.allowedPrincipals), ...principals.flatMap((p) => strs(p.props.principalArn))];
    }

    private readonly groups = new Map<string, Map<string, PlanNode[]>>();

    /** Nodes grouped by keys computed once per graph. */
    private group(key: string, items: readonly PlanNode[], keyOf: (n: PlanNode) => (string | undefined)[]): Map<string, PlanNode[]> {
        let m = this.groups.get(key);
        if (!m) {
            m = new Map<string, PlanNode[]>();
            for (const n of items) {
                for (const k of keyOf(n)) {
                    if (k === undefined) continue;
                    const l = m.get(k);
                    if (l) l.push(n);
                    else m.set(k, [n]);
                }
            }
            this.groups.set(key, m);
        }
        return m;
    }

    /**
     * The account a stack deploys into: the most frequent account in its
     * network resources' known ARNs, owner ids and principals, and in the
     * account conditions of their policies (a shard whose endpoint service
     * admits no one yet names its account there even in preview). Every
     * stack's is counted in one pass over the records (an environment's union
     * holds hundreds of stacks).
     */
    accountOf(urn: string): string | undefined {
        if (!this.accountByStack) this.accountByStack = this.countAccounts();
        return this.accountByStack.get(stackOfUrn(urn));
    }

    private countAccounts(): Map<string, string | undefined> {
        const byStack = new Map<string, Map<string, number>>();
        for (const n of this.nodes) {
            if (!NETWORK_KINDS.has(n.kind)) continue;
            const stack = stackOfUrn(n.urn);
            let counts = byStack.get(stack);
            if (!counts) byStack.set(stack, (counts = new Map()));
            const add = (a: string) => counts!.set(a, (counts!.get(a) ?? 0) + 1);
            for (const k of ["arn", "ownerId", "accountId", "sourceAccount", "allowedPrincipals"]) {
                for (const v of strs(n.props[k])) {
                    if (typeof v !== "string") continue;
                    const m = /^\d{12}$/.test(v) ? v : /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(v)?.[1];
                    if (m) add(m);
                }
            }
            const policy = n.props.policy;
            if (typeof policy === "string") {
                for (const m of policy.matchAll(/"aws:(?:PrincipalAccount|ResourceAccount|SourceAccount)"\s*:\s*"(\d{12})"/g)) add(m[1]);
            }
        }
        // The first most frequent, in the records' order.
        const out = new Map<string, string | undefined>();
        for (const [stack, counts] of byStack) out.set(stack, [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]);
        return out;
    }
}

// ---------------------------------------------------------------- one graph per resource list

const fromEngine = new WeakMap<readonly PolicyResource[], PlanGraph>();
const primed = new WeakMap<readonly PolicyResource[], () => PlanGraph>();

/**
 * Offline, evaluate() hands the rules the graph of the records it built the
 * resource list from (no proxy to copy through); node i is resource i.
 */
export function primePlanGraph(resources: readonly PolicyResource[], build: () => PlanGraph): void {
    primed.set(resources, build);
}

/** The graph of a stack policy's resources, built once per resource list. */
export function planGraph(resources: readonly PolicyResource[]): PlanGraph {
    let g = fromEngine.get(resources);
    if (!g) {
        g = primed.get(resources)?.() ?? PlanGraph.fromResources(resources);
        fromEngine.set(resources, g);
    }
    return g;
}

const fromRecordList = new WeakMap<readonly PlanRecord[], { length: number; mode: PlanMode; graph: PlanGraph }>();

/**
 * The graph of a plan's records, built once per record list (a list is not
 * changed once planned): evaluate() builds it for the mode it runs in, and
 * the plan's other readers (quotas, cost, diagram) reuse it. A reader that
 * names no mode takes the graph in whichever mode it was built (they read
 * the records' inputs); one that names another mode gets a new graph.
 * `fresh` builds it anew whatever is memoised (evaluate() does, so a record
 * changed in place between two evaluations is read again).
 */
export function recordGraph(records: readonly PlanRecord[], mode?: PlanMode, fresh = false): PlanGraph {
    const hit = fromRecordList.get(records);
    if (!fresh && hit && hit.length === records.length && (mode === undefined || hit.mode === mode)) return hit.graph;
    const m = mode ?? hit?.mode ?? "preview";
    const graph = PlanGraph.fromRecords(records, m);
    fromRecordList.set(records, { length: records.length, mode: m, graph });
    return graph;
}

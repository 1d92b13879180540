import { isRecord, UNKNOWN } from "../values";
import { MeshEndpoint, PlanGraph, PlanNode, recordGraph, strs, unique } from "../plan/graph";
import type { PlanRecord } from "../plan/record";
import { TYPES } from "../plan/types";
import { evaluateEndpointPolicy } from "./endpoint-policy";
import { contains } from "./ipv4";
import { fill, Runtime, StartupDependency } from "./startup";
import { isRuntimeName, runtimeFacts } from "../../facts/runtimes";
import { runtimesOf } from "../runtimes";

/**
 * Offline reachability over a plan's records: can each declared
 * consumer -> provider edge carry a TCP connection, does nothing else, and can
 * every workload reach what it needs to start. See docs/reachability.md for
 * what is modelled and what is not.
 */

export interface Hop {
    /** The resource (its name) where the flow is examined. */
    at: string;
    urn?: string;
    /** What kind of check: "security group", "endpoint", "NLB listener", ... */
    kind: string;
    ok: boolean;
    detail: string;
}

export type EdgeStatus = "reach" | "blocked" | "partial";

export interface EdgeResult {
    consumer: string;
    provider: string;
    port?: number;
    declared: boolean;
    status: EdgeStatus;
    /** For blocked: "<consumer> -> <provider>: dropped at <hop> (<kind>): <why>". For partial: what this record set cannot see. */
    reason?: string;
    hops: Hop[];
}

export interface StartupResult {
    service: string;
    runtime: Runtime;
    workload: string;
    dependency: string;
    purpose: string;
    status: "ok" | "blocked";
    reason?: string;
    source: string;
    hops: Hop[];
}

export interface OutsidePath {
    service: string;
    at: string;
    urn?: string;
    kind: string;
    reason: string;
}

export interface Reachability {
    services: string[];
    edges: EdgeResult[];
    /** Ordered pairs without a declared edge that have a path anyway (should be empty). */
    undeclared: EdgeResult[];
    /** Paths from a service subnet to addresses outside the platform other than AWS-service endpoints (should be empty). */
    outside: OutsidePath[];
    /** Interface endpoints to other providers' services the catalog declares (`external`): leaving the platform by design, reported, not flagged. */
    external: OutsidePath[];
    startup: StartupResult[];
    /** What these records alone cannot decide (another stack's half of an edge). */
    notes: string[];
}

export interface AnalyzeOptions {
    /** Declared edges "consumer->provider" (the catalog's consumes). */
    declared?: string[];
    /** Port each provider serves on (the catalog's port). */
    ports?: Record<string, number>;
    /** Runtime per service (the catalog's runtime); inferred from the records when absent. */
    runtimes?: Record<string, string>;
    region?: string;
    /** Services deployed by other stacks (the other shards of the environment): their half of an edge is decided there. */
    remote?: string[];
    /** Per service, the endpoint service names of other providers it declares (the catalog's `external`). */
    external?: Record<string, string[]>;
}

// ---------------------------------------------------------------- ENIs

/** A set of network interfaces: where they sit and which groups they carry. */
interface Enis {
    label: string;
    urn: string;
    service?: string;
    vpc?: string;
    subnets: PlanNode[];
    sgs: string[];
    /** A load balancer without security groups: nothing filters what it sends (an NLB created without groups). */
    unfiltered?: boolean;
}

/** A load balancer forwarding to an interface endpoint's addresses (the front door's edge ALB). */
interface Forwarding {
    lb: PlanNode;
    /** The listener, or listener rules, that forward to `tg`. */
    via: PlanNode[];
    tg: PlanNode;
    endpoint: PlanNode;
    /** The port the targets are registered on. */
    port?: number;
    attachments: PlanNode[];
}

interface SgRule {
    dir: "ingress" | "egress";
    proto: string;
    from: number;
    to: number;
    cidrs: string[];
    sgs: string[];
    pls: string[];
    self: boolean;
    origin: string;
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const EKS_SG = "eks-cluster-sg:";
const SG_TYPES = [TYPES.securityGroup, TYPES.defaultSecurityGroup, TYPES.eksComponent, TYPES.eksCluster];

/** A port number, or a string of digits. */
function numOf(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
    return undefined;
}

export class Analyzer {
    private readonly rules = new Map<string, SgRule[]>();
    private region = "us-east-1";
    private memo = new Map<string, unknown>();

    /** Computes once per analysis (indexes that turn per-edge scans into lookups). */
    private once<T>(key: string, fn: () => T): T {
        if (!this.memo.has(key)) this.memo.set(key, fn());
        return this.memo.get(key) as T;
    }

    private group(key: string, items: readonly PlanNode[], keyOf: (r: PlanNode) => (string | undefined)[]): Map<string, PlanNode[]> {
        return this.once(key, () => {
            const m = new Map<string, PlanNode[]>();
            for (const r of items) for (const k of keyOf(r)) if (k !== undefined) m.set(k, [...(m.get(k) ?? []), r]);
            return m;
        });
    }

    private endpointVpc(ep: PlanNode): string | undefined {
        return this.once(`epvpc:${ep.urn}`, () => this.g.one(ep, "vpcId", [TYPES.vpc])?.urn ?? this.vpcOfSubnets(this.endpointEnis(ep).subnets));
    }

    private endpointsByVpc(): Map<string, PlanNode[]> {
        return this.group("endpointsByVpc", this.g.ofType(TYPES.vpcEndpoint), (e) => [this.endpointVpc(e)]);
    }

    constructor(private readonly g: PlanGraph, private readonly opts: AnalyzeOptions = {}) {
        this.region = opts.region ?? this.findRegion();
        this.buildSecurityGroups();
    }

    // ------------------------------------------------------------ basics

    private findRegion(): string {
        for (const e of this.g.ofType(TYPES.vpcEndpoint)) {
            const sn = e.props.serviceName;
            const m = typeof sn === "string" ? /^com\.amazonaws\.([a-z0-9-]+)\./.exec(sn) : null;
            if (m && !m[1].startsWith("vpce")) return m[1];
        }
        return "us-east-1";
    }

    /** The account a stack deploys into (PlanGraph.accountOf). */
    accountOf(urn: string): string | undefined {
        return this.g.accountOf(urn);
    }

    private vpcOfSubnets(subnets: PlanNode[]): string | undefined {
        for (const s of subnets) {
            const v = this.g.one(s, "vpcId", [TYPES.vpc]);
            if (v) return v.urn;
        }
        return undefined;
    }

    private enis(owner: PlanNode, label: string, subnetProp: string, subnetVal: unknown, sgProp: string, sgVal: unknown): Enis {
        const subnets = this.g.resolveAll(owner, subnetProp, subnetVal, [TYPES.subnet]).targets;
        const sgs = this.sgKeys(owner, sgProp, sgVal);
        return { label, urn: owner.urn, service: this.g.serviceName(owner), vpc: this.vpcOfSubnets(subnets), subnets, sgs };
    }

    private sgKeys(owner: PlanNode, prop: string, val: unknown): string[] {
        return this.g.resolveAll(owner, prop, val, SG_TYPES).targets.map((t) => (t.kind === TYPES.eksComponent || t.kind === TYPES.eksCluster ? EKS_SG + t.urn : t.urn));
    }

    private sgName(key: string): string {
        if (key.startsWith(EKS_SG)) return `${this.g.node(key.slice(EKS_SG.length))?.name ?? "?"} cluster security group`;
        return this.g.node(key)?.name ?? key;
    }

    private cidrs(subnets: PlanNode[]): string[] {
        return subnets.map((s) => s.props.cidrBlock).filter((c): c is string => typeof c === "string");
    }

    private zone(s: PlanNode, byId: boolean): string | undefined {
        const v = byId ? s.props.availabilityZoneId : s.props.availabilityZone;
        return typeof v === "string" ? v : undefined;
    }

    // ------------------------------------------------------------ security groups

    private addRule(sg: string, rule: SgRule): void {
        const l = this.rules.get(sg);
        if (l) l.push(rule);
        else this.rules.set(sg, [rule]);
    }

    private ports(proto: unknown, from: unknown, to: unknown): { proto: string; from: number; to: number } {
        const pr = String(proto ?? "-1").toLowerCase();
        if (ALL_PROTOCOLS.has(pr)) return { proto: "-1", from: 0, to: 65535 };
        const f = numOf(from);
        const t = numOf(to);
        return { proto: pr === "6" ? "tcp" : pr, from: f === undefined || f < 0 ? 0 : f, to: t === undefined || t < 0 ? 65535 : t };
    }

    private buildSecurityGroups(): void {
        for (const sg of [...this.g.ofType(TYPES.securityGroup), ...this.g.ofType(TYPES.defaultSecurityGroup)]) {
            for (const dir of ["ingress", "egress"] as const) {
                const list = sg.props[dir];
                if (!Array.isArray(list)) continue;
                for (const raw of list) {
                    if (!isRecord(raw)) continue;
                    this.addRule(sg.urn, {
                        dir,
                        ...this.ports(raw.protocol, raw.fromPort, raw.toPort),
                        cidrs: strs(raw.cidrBlocks).filter((c): c is string => typeof c === "string"),
                        sgs: this.sgKeys(sg, dir, raw.securityGroups),
                        pls: this.prefixLists(sg, dir, raw.prefixListIds),
                        self: raw.self === true,
                        origin: sg.name,
                    });
                }
            }
        }
        for (const r of this.g.ofType(TYPES.securityGroupRule)) {
            const target = this.sgKeys(r, "securityGroupId", r.props.securityGroupId)[0];
            if (!target) continue;
            this.addRule(target, {
                dir: r.props.type === "egress" ? "egress" : "ingress",
                ...this.ports(r.props.protocol, r.props.fromPort, r.props.toPort),
                cidrs: strs(r.props.cidrBlocks).filter((c): c is string => typeof c === "string"),
                sgs: r.props.sourceSecurityGroupId !== undefined ? this.sgKeys(r, "sourceSecurityGroupId", r.props.sourceSecurityGroupId) : [],
                pls: this.prefixLists(r, "prefixListIds", r.props.prefixListIds),
                self: r.props.self === true,
                origin: r.name,
            });
        }
        for (const [type, dir] of [[TYPES.securityGroupIngressRule, "ingress"], [TYPES.securityGroupEgressRule, "egress"]] as const) {
            for (const r of this.g.ofType(type)) {
                const target = this.sgKeys(r, "securityGroupId", r.props.securityGroupId)[0];
                if (!target) continue;
                this.addRule(target, {
                    dir,
                    ...this.ports(r.props.ipProtocol, r.props.fromPort, r.props.toPort),
                    cidrs: typeof r.props.cidrIpv4 === "string" ? [r.props.cidrIpv4] : [],
                    sgs: r.props.referencedSecurityGroupId !== undefined ? this.sgKeys(r, "referencedSecurityGroupId", r.props.referencedSecurityGroupId) : [],
                    pls: r.props.prefixListId !== undefined ? this.prefixLists(r, "prefixListId", r.props.prefixListId) : [],
                    self: false,
                    origin: r.name,
                });
            }
        }
        // The cluster security group EKS creates: all traffic from itself, all egress
        // (Amazon EKS User Guide, 'View Amazon EKS security group requirements for clusters').
        for (const c of [...this.g.ofType(TYPES.eksComponent), ...this.g.ofType(TYPES.eksCluster)]) {
            const key = EKS_SG + c.urn;
            this.addRule(key, { dir: "ingress", proto: "-1", from: 0, to: 65535, cidrs: [], sgs: [key], pls: [], self: true, origin: this.sgName(key) });
            this.addRule(key, { dir: "egress", proto: "-1", from: 0, to: 65535, cidrs: ["0.0.0.0/0"], sgs: [], pls: [], self: false, origin: this.sgName(key) });
        }
    }

    /** Prefix lists as gateway-endpoint URNs where they resolve, else the literal id (an AWS-managed list). */
    private prefixLists(owner: PlanNode, prop: string, val: unknown): string[] {
        const res = this.g.resolveAll(owner, prop, val, [TYPES.vpcEndpoint]);
        return [...res.targets.map((t) => t.urn), ...res.literals];
    }

    private portOk(rule: SgRule, port: number): boolean {
        return (rule.proto === "-1" || rule.proto === "tcp") && rule.from <= port && port <= rule.to;
    }

    /**
     * Peer CIDRs not admitted by `sgs` in direction `dir` on `port`. A peer is
     * admitted by a rule whose CIDR holds its whole subnet, or that references
     * a group the peer carries (same VPC), or `self` when the peer carries the group.
     */
    private uncovered(sgs: string[], dir: "ingress" | "egress", port: number, peer: { cidrs: string[]; sgs: string[]; sameVpc: boolean }): string[] {
        const rules = sgs.flatMap((k) => (this.rules.get(k) ?? []).filter((r) => r.dir === dir && this.portOk(r, port)).map((r) => ({ r, k })));
        const bySg = peer.sameVpc && rules.some(({ r, k }) => r.sgs.some((s) => peer.sgs.includes(s)) || (r.self && peer.sgs.includes(k)));
        if (bySg) return [];
        return peer.cidrs.filter((c) => !rules.some(({ r }) => r.cidrs.some((rc) => contains(rc, c))));
    }

    private sgHop(who: Enis, dir: "ingress" | "egress", port: number, peer: { label: string; cidrs: string[]; sgs: string[]; sameVpc: boolean }, verb: string): Hop {
        const at = who.sgs.length > 0 ? who.sgs.map((k) => this.sgName(k)).join(", ") : who.label;
        if (who.sgs.length === 0) {
            return { at, urn: who.urn, kind: "security group", ok: false, detail: `${who.label} has no security group the model can resolve` };
        }
        const miss = this.uncovered(who.sgs, dir, port, peer);
        const ok = miss.length === 0;
        return {
            at,
            urn: who.sgs[0].startsWith(EKS_SG) ? who.urn : who.sgs[0],
            kind: "security group",
            ok,
            detail: ok ? `${dir} on ${port} ${verb} ${peer.label}` : `no ${dir} on ${port} ${verb} ${peer.label}${peer.cidrs.length ? ` (${miss.join(", ")})` : ""}`,
        };
    }

    /**
     * Security groups between two ENI sets of one VPC on `port`. Network ACLs
     * are not modelled: the platform creates none, and the type allow-list
     * refuses every NACL type (docs/reachability.md), so every subnet keeps
     * its VPC's default network ACL, which allows all traffic both ways.
     */
    private between(src: Enis, dst: Enis, port: number): Hop[] {
        const same = !!src.vpc && src.vpc === dst.vpc;
        const hops: Hop[] = [];
        if (!same) {
            return [{ at: dst.label, urn: dst.urn, kind: "route", ok: false, detail: `${dst.label} is not in ${src.label}'s VPC and no route joins the two` }];
        }
        if (!src.unfiltered) {
            hops.push(this.sgHop(src, "egress", port, { label: dst.label, cidrs: this.cidrs(dst.subnets), sgs: dst.sgs, sameVpc: same }, "to"));
            if (!hops[hops.length - 1].ok) return hops;
        }
        hops.push(this.sgHop(dst, "ingress", port, { label: src.label, cidrs: this.cidrs(src.subnets), sgs: src.sgs, sameVpc: same }, "from"));
        return hops;
    }

    // ------------------------------------------------------------ workloads

    /** ENIs that originate a service's calls to other services. */
    clientsOf(service: string): Enis[] {
        const m = this.once("clientsByService", () => {
            const out = new Map<string, Enis[]>();
            for (const c of this.clients()) out.set(c.service!, [...(out.get(c.service!) ?? []), c]);
            return out;
        });
        return m.get(service) ?? [];
    }

    private clientMemo?: Enis[];
    private clients(): Enis[] {
        if (!this.clientMemo) {
            const out: Enis[] = [];
            for (const s of this.g.ofType(TYPES.ecsService)) {
                const nc = s.props.networkConfiguration;
                if (!isRecord(nc)) continue;
                out.push(this.enis(s, s.name, "networkConfiguration", nc.subnets, "networkConfiguration", nc.securityGroups));
            }
            for (const f of this.g.ofType(TYPES.lambda)) {
                const vc = f.props.vpcConfig;
                if (!isRecord(vc)) continue;
                out.push(this.enis(f, f.name, "vpcConfig", vc.subnetIds, "vpcConfig", vc.securityGroupIds));
            }
            for (const ng of this.g.ofType(TYPES.nodeGroup)) out.push(this.nodeGroupEnis(ng));
            this.clientMemo = out.filter((e) => e.service !== undefined);
        }
        return this.clientMemo;
    }

    private clientByUrn(urn: string): Enis | undefined {
        return this.once("clientByUrn", () => new Map(this.clients().map((c) => [c.urn, c]))).get(urn);
    }

    private launchTemplateSgs(owner: PlanNode, lt: PlanNode | undefined): string[] {
        if (!lt) return [];
        const keys = this.sgKeys(lt, "vpcSecurityGroupIds", lt.props.vpcSecurityGroupIds);
        const nis = lt.props.networkInterfaces;
        for (const ni of Array.isArray(nis) ? nis : []) {
            if (isRecord(ni)) keys.push(...this.sgKeys(lt, "networkInterfaces", ni.securityGroups));
        }
        return unique(keys);
    }

    private launchTemplateOf(r: PlanNode): PlanNode | undefined {
        const lt = r.props.launchTemplate;
        const id = isRecord(lt) ? lt.id ?? lt.name : undefined;
        if (id !== undefined) return this.g.resolveAll(r, "launchTemplate", id, [TYPES.launchTemplate]).targets[0];
        // Auto Scaling groups with several instance types: mixedInstancesPolicy.launchTemplate.launchTemplateSpecification.
        const mip = r.props.mixedInstancesPolicy;
        const spec = isRecord(mip) && isRecord(mip.launchTemplate) ? mip.launchTemplate.launchTemplateSpecification : undefined;
        const mid = isRecord(spec) ? spec.launchTemplateId ?? spec.launchTemplateName : undefined;
        return mid === undefined ? undefined : this.g.resolveAll(r, "mixedInstancesPolicy", mid, [TYPES.launchTemplate]).targets[0];
    }

    private nodeGroupEnis(ng: PlanNode): Enis {
        const e = this.enis(ng, ng.name, "subnetIds", ng.props.subnetIds, "", undefined);
        const lt = this.launchTemplateOf(ng);
        e.sgs = this.launchTemplateSgs(ng, lt);
        if (!lt || e.sgs.length === 0) {
            // Without a launch template, EKS gives managed nodes the cluster security group.
            const c = this.g.one(ng, "clusterName", [TYPES.eksComponent, TYPES.eksCluster]);
            if (c) e.sgs.push(EKS_SG + c.urn);
        }
        return e;
    }

    private asgEnis(asg: PlanNode): Enis {
        const e = this.enis(asg, asg.name, "vpcZoneIdentifiers", asg.props.vpcZoneIdentifiers, "", undefined);
        e.sgs = this.launchTemplateSgs(asg, this.launchTemplateOf(asg));
        return e;
    }

    private lbEnis(lb: PlanNode): Enis {
        const mappings = lb.props.subnetMappings;
        const subnetVal = Array.isArray(mappings) && mappings.length > 0 ? mappings.map((m) => (isRecord(m) ? m.subnetId : undefined)) : lb.props.subnets;
        const e = this.enis(lb, lb.name, Array.isArray(mappings) && mappings.length > 0 ? "subnetMappings" : "subnets", subnetVal, "securityGroups", lb.props.securityGroups);
        // An NLB created without security groups has none, and none can be added later
        // (Elastic Load Balancing, 'Security groups for your Network Load Balancer').
        e.unfiltered = e.sgs.length === 0 && strs(lb.props.securityGroups).length === 0;
        return e;
    }

    private endpointEnis(ep: PlanNode): Enis {
        return this.enis(ep, ep.name, "subnetIds", ep.props.subnetIds, "securityGroupIds", ep.props.securityGroupIds);
    }

    private mine(type: string, service: string): PlanNode[] {
        return this.group(`mine:${type}`, this.g.ofType(type), (r) => [this.g.serviceName(r)]).get(service) ?? [];
    }

    runtimeOf(service: string): Runtime | undefined {
        const r = this.opts.runtimes?.[service];
        if (isRuntimeName(r)) return r;
        // Else the runtime the service's resources show (policies/facts/runtimes: workloads).
        const mine = (t: string) => this.mine(t, service);
        for (const t of [TYPES.nodeGroup, TYPES.lambda, TYPES.ecsService]) {
            for (const x of mine(t)) {
                const shown = runtimesOf(x.type, x.props)[0];
                if (shown) return shown;
            }
        }
        return undefined;
    }

    // ------------------------------------------------------------ services

    services(): string[] {
        const s = new Set<string>();
        for (const c of this.clients()) s.add(c.service!);
        for (const f of this.forwardings()) {
            const v = this.g.serviceName(f.lb);
            if (v) s.add(v);
        }
        for (const es of this.g.ofType(TYPES.endpointService)) {
            const v = this.g.serviceName(es);
            if (v) s.add(v);
        }
        for (const k of Object.keys(this.opts.ports ?? {})) s.add(k);
        return [...s].sort();
    }

    // ------------------------------------------------------------ one path

    private fail(hops: Hop[], consumer: string, provider: string): EdgeResult {
        const last = hops[hops.length - 1];
        return { consumer, provider, declared: true, status: "blocked", hops, reason: `${consumer} -> ${provider}: dropped at ${last.at} (${last.kind}): ${last.detail}` };
    }

    /**
     * client ENIs -> endpoint ENIs (port) -> endpoint service (zones,
     * acceptance, principals) -> NLB listener -> target group -> targets.
     */
    private path(client: Enis, ep: PlanNode, service: PlanNode | undefined, literal: string | undefined, consumer: string, provider: string, port: number): EdgeResult {
        const hops: Hop[] = [{ at: client.label, urn: client.urn, kind: "workload", ok: true, detail: `${consumer}'s ENIs in ${client.subnets.map((s) => s.name).join(", ")}` }];
        const epEnis = this.endpointEnis(ep);
        for (const h of this.between(client, epEnis, port)) {
            hops.push(h);
            if (!h.ok) return this.fail(hops, consumer, provider);
        }
        hops.push({ at: ep.name, urn: ep.urn, kind: "endpoint", ok: true, detail: `interface endpoint in ${epEnis.subnets.map((s) => s.name).join(", ")}` });
        if (!service) {
            return {
                consumer,
                provider,
                port,
                declared: true,
                status: "partial",
                hops,
                reason: `${consumer} -> ${provider}: the endpoint service ${literal ?? "(unknown)"} is not among these records (another stack): its acceptance, principals, NLB and targets are decided where it is deployed`,
            };
        }
        const nlbs = this.g.resolveAll(service, "networkLoadBalancerArns", service.props.networkLoadBalancerArns, [TYPES.loadBalancer]).targets;
        const nlb = nlbs[0];
        if (!nlb) {
            hops.push({ at: service.name, urn: service.urn, kind: "endpoint service", ok: false, detail: "no network load balancer behind the endpoint service" });
            return this.fail(hops, consumer, provider);
        }
        const nlbEnis = this.lbEnis(nlb);
        // Zones: AWS matches by zone id; the endpoint can only have subnets in zones the service's NLB serves.
        const byId = [...epEnis.subnets, ...nlbEnis.subnets].every((s) => typeof s.props.availabilityZoneId === "string");
        const served = new Set(nlbEnis.subnets.map((s) => this.zone(s, byId)).filter((z): z is string => !!z));
        const foreign = epEnis.subnets.filter((s) => {
            const z = this.zone(s, byId);
            return z !== undefined && !served.has(z);
        });
        if (foreign.length > 0) {
            const show = (s: PlanNode) => `${s.name} in ${[s.props.availabilityZone, s.props.availabilityZoneId].filter((x) => typeof x === "string").join(" / ")}`;
            hops.push({
                at: ep.name,
                urn: ep.urn,
                kind: "zones",
                ok: false,
                detail: `subnet ${foreign.map(show).join(", ")} is in a zone ${nlb.name} does not serve (it serves ${[...served].join(", ")}): AWS refuses an endpoint subnet in a zone the endpoint service lacks`,
            });
            return this.fail(hops, consumer, provider);
        }
        hops.push({ at: nlb.name, urn: nlb.urn, kind: "zones", ok: true, detail: `endpoint zones ⊆ NLB zones (${[...served].join(", ")})` });
        // Acceptance.
        if (service.props.acceptanceRequired !== false) {
            const accepted = this.g.acceptersOf(ep).some((a) => this.g.one(a, "vpcEndpointServiceId", [TYPES.endpointService])?.urn === service.urn);
            if (!accepted) {
                hops.push({ at: service.name, urn: service.urn, kind: "acceptance", ok: false, detail: `acceptance is required and no connection accepter names ${ep.name}: the connection stays pendingAcceptance` });
                return this.fail(hops, consumer, provider);
            }
            hops.push({ at: service.name, urn: service.urn, kind: "acceptance", ok: true, detail: `connection from ${ep.name} accepted` });
        }
        // Principals: the account creating the endpoint must be allowed.
        const account = this.accountOf(ep.urn);
        const principals = this.g.principalsOf(service);
        const known = principals.filter((x): x is string => typeof x === "string");
        const allowed = known.some((x) => x === "*" || (account !== undefined && new RegExp(`^arn:aws[a-z-]*:iam::${account}:`).test(x)));
        if (!allowed && (account !== undefined || principals.length === known.length)) {
            hops.push({ at: service.name, urn: service.urn, kind: "principals", ok: false, detail: `no allowed principal of account ${account ?? "(unknown)"}, which creates ${ep.name} (allowed: ${known.join(", ") || "none"})` });
            return this.fail(hops, consumer, provider);
        }
        hops.push({ at: service.name, urn: service.urn, kind: "principals", ok: true, detail: `account ${account ?? "(unknown)"} allowed` });
        // NLB listener.
        const listeners = this.g.listenersOf(nlb);
        const listener = listeners.find((l) => numOf(l.props.port) === port);
        if (!listener) {
            hops.push({ at: nlb.name, urn: nlb.urn, kind: "NLB listener", ok: false, detail: `no listener on ${port} (listeners: ${listeners.map((l) => String(l.props.port)).join(", ") || "none"})` });
            return this.fail(hops, consumer, provider);
        }
        hops.push({ at: listener.name, urn: listener.urn, kind: "NLB listener", ok: true, detail: `${String(listener.props.protocol ?? "TCP")} ${port}` });
        const tail = this.forward(listener, nlbEnis, nlb, hops);
        if (!tail) return this.fail(hops, consumer, provider);
        return { consumer, provider, port, declared: true, status: "reach", hops };
    }

    private targetGroupsOf(listener: PlanNode): PlanNode[] {
        return this.actionTargetGroups(listener, "defaultActions");
    }

    /** The target groups a listener's or listener rule's forward actions name. */
    private actionTargetGroups(owner: PlanNode, prop: string): PlanNode[] {
        const out: unknown[] = [];
        const actions = owner.props[prop];
        for (const a of Array.isArray(actions) ? actions : []) {
            if (!isRecord(a)) continue;
            if (a.targetGroupArn !== undefined) out.push(a.targetGroupArn);
            const fw = a.forward;
            if (isRecord(fw) && Array.isArray(fw.targetGroups)) for (const t of fw.targetGroups) if (isRecord(t)) out.push(t.arn);
        }
        return this.g.resolveAll(owner, prop, out, [TYPES.targetGroup]).targets;
    }

    private registrationMemo?: Map<string, { what: PlanNode; port?: number; via: PlanNode }[]>;
    private registrations(tg: PlanNode): { what: PlanNode; port?: number; via: PlanNode }[] {
        if (!this.registrationMemo) {
            const m = new Map<string, { what: PlanNode; port?: number; via: PlanNode }[]>();
            const add = (tgs: PlanNode[], what: PlanNode | undefined, port: number | undefined, via: PlanNode) => {
                for (const t of tgs) {
                    if (!what) continue;
                    const l = m.get(t.urn) ?? [];
                    l.push({ what, port, via });
                    m.set(t.urn, l);
                }
            };
            for (const s of this.g.ofType(TYPES.ecsService)) {
                const lbs = s.props.loadBalancers;
                for (const lb of Array.isArray(lbs) ? lbs : []) {
                    if (!isRecord(lb)) continue;
                    add(this.g.resolveAll(s, "loadBalancers", lb.targetGroupArn, [TYPES.targetGroup]).targets, s, numOf(lb.containerPort), s);
                }
            }
            for (const a of this.g.ofType(TYPES.asgAttachment)) {
                const tgs = this.g.resolveAll(a, "lbTargetGroupArn", a.props.lbTargetGroupArn, [TYPES.targetGroup]).targets;
                let what = this.g.resolveAll(a, "autoscalingGroupName", a.props.autoscalingGroupName, [TYPES.asg, TYPES.nodeGroup]).targets[0];
                what = what ?? this.g.resolveAll(a, "autoscalingGroupName", UNKNOWN, [TYPES.asg, TYPES.nodeGroup]).targets[0];
                add(tgs, what, undefined, a);
            }
            for (const g of this.g.ofType(TYPES.asg)) add(this.g.resolveAll(g, "targetGroupArns", g.props.targetGroupArns, [TYPES.targetGroup]).targets, g, undefined, g);
            for (const a of this.g.ofType(TYPES.targetGroupAttachment)) {
                const tgs = this.g.resolveAll(a, "targetGroupArn", a.props.targetGroupArn, [TYPES.targetGroup]).targets;
                const what = this.g.resolveAll(a, "targetId", a.props.targetId, [TYPES.loadBalancer, TYPES.lambda]).targets[0] ?? this.endpointOfAddress(a);
                add(tgs, what, numOf(a.props.port), a);
            }
            this.registrationMemo = m;
        }
        return this.registrationMemo.get(tg.urn) ?? [];
    }

    /**
     * The interface endpoint whose address an IP target registration names.
     * The address is read from the endpoint's network interfaces once its
     * connection is accepted (aws.ec2.getVpcEndpoint, then
     * getNetworkInterface: components/frontDoor.ts), so the registration
     * depends on the endpoint or on its connection's accepter.
     */
    private endpointOfAddress(attachment: PlanNode): PlanNode | undefined {
        const near = [...this.g.dependenciesOf(attachment), ...Object.keys(attachment.deps).flatMap((p) => this.g.depsOf(attachment, p))];
        for (const d of near) {
            if (d.kind === TYPES.vpcEndpoint) return d;
            if (d.kind === TYPES.connectionAccepter) {
                const ep = this.g.one(d, "vpcEndpointId", [TYPES.vpcEndpoint]);
                if (ep) return ep;
            }
        }
        return undefined;
    }

    private forwardingMemo?: Forwarding[];
    /**
     * Load balancers that forward to interface endpoints: a listener (or one
     * of its rules) forwards to an IP target group whose targets are an
     * endpoint's addresses. Such a load balancer opens the connections to the
     * endpoint from its own addresses (Elastic Load Balancing, "Target groups
     * for your Application Load Balancers": targets of type ip see the load
     * balancer's private addresses), so the edge starts at it: the API front
     * door's edge ALB is the consumer of its edges.
     */
    private forwardings(): Forwarding[] {
        if (this.forwardingMemo) return this.forwardingMemo;
        const out: Forwarding[] = [];
        const rules = this.g.ofType(TYPES.listenerRule);
        for (const lb of this.g.ofType(TYPES.loadBalancer)) {
            for (const listener of this.g.listenersOf(lb)) {
                const routes: { via: PlanNode; tgs: PlanNode[] }[] = [{ via: listener, tgs: this.targetGroupsOf(listener) }];
                // Rules in the order the listener evaluates them: lowest priority first.
                const own = rules.filter((r) => this.g.one(r, "listenerArn", [TYPES.listener])?.urn === listener.urn).sort((a, b) => (numOf(a.props.priority) ?? 0) - (numOf(b.props.priority) ?? 0));
                for (const rule of own) routes.push({ via: rule, tgs: this.actionTargetGroups(rule, "actions") });
                for (const { via, tgs } of routes) {
                    for (const tg of tgs) {
                        for (const reg of this.registrations(tg).filter((x) => x.what.kind === TYPES.vpcEndpoint)) {
                            const known = out.find((f) => f.lb === lb && f.tg === tg && f.endpoint === reg.what);
                            if (known) {
                                if (!known.attachments.includes(reg.via)) known.attachments.push(reg.via);
                                if (!known.via.includes(via)) known.via.push(via);
                                continue;
                            }
                            out.push({ lb, via: [via], tg, endpoint: reg.what, port: reg.port ?? numOf(tg.props.port), attachments: [reg.via] });
                        }
                    }
                }
            }
        }
        this.forwardingMemo = out;
        return out;
    }

    private forwardingsOf(service: string): Forwarding[] {
        return this.forwardings().filter((f) => this.g.serviceName(f.lb) === service);
    }

    /** A declared edge from a load balancer that forwards to the provider's endpoint: every such forwarding must reach. */
    private forwardedEdge(consumer: string, provider: string, forwardings: Forwarding[], declared: boolean): EdgeResult {
        const port = this.opts.ports?.[provider];
        const toProvider = forwardings.filter((f) => this.endpointsFor(this.endpointVpc(f.endpoint), provider).some((m) => m.endpoint === f.endpoint));
        if (toProvider.length === 0) {
            const lb = forwardings[0].lb;
            const hop: Hop = { at: lb.name, urn: lb.urn, kind: "load balancer", ok: false, detail: `forwards to no target group whose targets are an interface endpoint to ${provider}'s endpoint service` };
            return { ...this.fail([hop], consumer, provider), declared };
        }
        let result: EdgeResult | undefined;
        for (const f of toProvider) {
            const p = f.port ?? port ?? this.firstListenerPort(this.g.meshEndpoints().find((m) => m.endpoint === f.endpoint)?.target);
            const lbEnis = this.lbEnis(f.lb);
            const mesh = this.g.meshEndpoints().find((m) => m.endpoint === f.endpoint)!;
            if (p === undefined) {
                result = { consumer, provider, declared, status: "partial", hops: [], reason: `${consumer} -> ${provider}: the port ${f.tg.name} forwards to is unknown` };
                break;
            }
            const r = this.path(lbEnis, f.endpoint, mesh.target, mesh.literal, consumer, provider, p);
            const prefix: Hop[] = [
                { at: f.via.map((v) => v.name).join(", "), urn: f.via[0].urn, kind: f.via[0].kind === TYPES.listenerRule ? "listener rule" : "listener", ok: true, detail: `forwards to ${f.tg.name}` },
                { at: f.tg.name, urn: f.tg.urn, kind: "target group", ok: true, detail: `ip targets ${f.attachments.map((a) => a.name).join(", ")}: ${f.endpoint.name}'s addresses, on ${p}` },
            ];
            const kind = f.lb.props.loadBalancerType === "network" ? "NLB" : "ALB";
            const start: Hop = { at: f.lb.name, urn: f.lb.urn, kind: "load balancer", ok: true, detail: `${consumer}'s ${kind} in ${lbEnis.subnets.map((s) => s.name).join(", ")}: its addresses open the connections to its targets` };
            result = { ...r, hops: [start, ...prefix, ...r.hops.slice(1)] };
            if (result.status !== "reach") break;
        }
        return { ...result!, declared };
    }

    /** listener -> target groups -> every target reachable from the load balancer's addresses (traffic and health checks). */
    private forward(listener: PlanNode, lbEnis: Enis, lb: PlanNode, hops: Hop[]): boolean {
        const tgs = this.targetGroupsOf(listener);
        if (tgs.length === 0) {
            hops.push({ at: listener.name, urn: listener.urn, kind: "listener", ok: false, detail: "forwards to no target group" });
            return false;
        }
        for (const tg of tgs) {
            const regs = this.registrations(tg);
            const type = String(tg.props.targetType ?? "instance");
            if (regs.length === 0) {
                hops.push({ at: tg.name, urn: tg.urn, kind: "target group", ok: false, detail: `no targets registered (target type ${type})` });
                return false;
            }
            hops.push({ at: tg.name, urn: tg.urn, kind: "target group", ok: true, detail: `target type ${type}, ${regs.length} registration(s)` });
            for (const reg of regs) {
                const t = reg.what.kind;
                const port = reg.port ?? numOf(tg.props.port);
                if (t === TYPES.lambda) {
                    const perm = this.g.ofType(TYPES.lambdaPermission).find(
                        (p) => this.g.one(p, "function", [TYPES.lambda])?.urn === reg.what.urn && p.props.principal === "elasticloadbalancing.amazonaws.com" && (p.props.sourceArn === undefined || this.g.one(p, "sourceArn", [TYPES.targetGroup])?.urn === tg.urn),
                    );
                    hops.push(
                        perm
                            ? { at: reg.what.name, urn: reg.what.urn, kind: "target", ok: true, detail: `invoked through the Lambda API (permission ${perm.name})` }
                            : { at: reg.what.name, urn: reg.what.urn, kind: "lambda permission", ok: false, detail: `no lambda:InvokeFunction permission for elasticloadbalancing.amazonaws.com from ${tg.name}` },
                    );
                    if (!perm) return false;
                    continue;
                }
                if (port === undefined) continue;
                const target =
                    t === TYPES.ecsService ? this.clientByUrn(reg.what.urn) : t === TYPES.nodeGroup ? this.nodeGroupEnis(reg.what) : t === TYPES.asg ? this.asgEnis(reg.what) : t === TYPES.loadBalancer ? this.lbEnis(reg.what) : undefined;
                if (!target) continue;
                // Targets see the load balancer's private addresses (its subnets) as the source.
                const crossZone = lb.props.loadBalancerType !== "network" || lb.props.enableCrossZoneLoadBalancing === true;
                const zones = new Set(target.subnets.map((s) => this.zone(s, false)));
                const senders = crossZone ? lbEnis : { ...lbEnis, subnets: lbEnis.subnets.filter((s) => zones.has(this.zone(s, false))) };
                const from = { ...senders, label: `the ${lb.props.loadBalancerType === "application" ? "ALB" : "NLB"}'s addresses` };
                const hc = tg.props.healthCheck;
                const hcOn = !(isRecord(hc) && hc.enabled === false);
                const hcPort = isRecord(hc) && hc.port !== undefined && hc.port !== "traffic-port" ? numOf(hc.port) : port;
                for (const [p, what] of [[port, "traffic"], ...(hcOn && hcPort !== undefined && hcPort !== port ? [[hcPort, "health checks"] as const] : [])] as const) {
                    const tgtLabeled = { ...target, label: `${reg.what.name}` };
                    for (const h of this.between(from, tgtLabeled, p)) {
                        const hop = what === "health checks" && !h.ok ? { ...h, detail: `${h.detail}: health checks fail, no target turns healthy` } : h;
                        hops.push(hop);
                        if (!hop.ok) return false;
                    }
                }
                if (t === TYPES.loadBalancer) {
                    const albListeners = this.g.listenersOf(reg.what);
                    const l = albListeners.find((x) => numOf(x.props.port) === port);
                    if (!l) {
                        hops.push({ at: reg.what.name, urn: reg.what.urn, kind: "ALB listener", ok: false, detail: `no listener on ${port}` });
                        return false;
                    }
                    hops.push({ at: l.name, urn: l.urn, kind: "ALB listener", ok: true, detail: `${String(l.props.protocol ?? "HTTP")} ${port}` });
                    if (!this.forward(l, target, reg.what, hops)) return false;
                } else {
                    hops.push({ at: reg.what.name, urn: reg.what.urn, kind: "target", ok: true, detail: `${target.service ?? "?"} on ${port}` });
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------ queries

    private endpointsFor(vpc: string | undefined, provider: string): MeshEndpoint[] {
        const byVpc = this.once("meshByVpc", () => {
            const m = new Map<string | undefined, MeshEndpoint[]>();
            for (const x of this.g.meshEndpoints()) {
                const v = this.endpointVpc(x.endpoint);
                m.set(v, [...(m.get(v) ?? []), x]);
            }
            return m;
        });
        return (byVpc.get(vpc) ?? []).filter((m) => {
            if (m.target) return this.g.serviceName(m.target) === provider;
            const tags = m.endpoint.props.tags;
            return isRecord(tags) && tags["privatelink:provider"] === provider;
        });
    }

    private edge(consumer: string, provider: string, declared: boolean): EdgeResult {
        const forwardings = this.forwardingsOf(consumer);
        if (forwardings.length > 0) return this.forwardedEdge(consumer, provider, forwardings, declared);
        const clients = this.clientsOf(consumer);
        const port = this.opts.ports?.[provider];
        if (clients.length === 0) {
            return { consumer, provider, port, declared, status: "partial", hops: [], reason: `${consumer} -> ${provider}: ${consumer}'s workload is not among these records` };
        }
        let result: EdgeResult | undefined;
        for (const c of clients) {
            const eps = this.endpointsFor(c.vpc, provider);
            if (eps.length === 0 && this.opts.remote?.includes(provider)) {
                // A shard declares a cross-shard endpoint once the provider's stack has outputs (docs/scale.md, waves).
                return { consumer, provider, port, declared, status: "partial", hops: [], reason: `${consumer} -> ${provider}: ${provider} is deployed by another shard's stack, and this stack has no endpoint to it yet (it waits for that stack's outputs)` };
            }
            if (eps.length === 0) {
                const hop: Hop = { at: c.label, urn: c.urn, kind: "endpoint", ok: false, detail: `no interface endpoint to ${provider}'s endpoint service in ${consumer}'s VPC` };
                result = this.fail([hop], consumer, provider);
                break;
            }
            let best: EdgeResult | undefined;
            for (const m of eps) {
                const p = port ?? this.firstListenerPort(m.target);
                if (p === undefined) continue;
                const r = this.path(c, m.endpoint, m.target, m.literal, consumer, provider, p);
                if (!best || r.status === "reach" || (best.status === "blocked" && r.status === "partial")) best = r;
                if (r.status === "reach") break;
            }
            result = best ?? { consumer, provider, declared, status: "partial", hops: [], reason: `${consumer} -> ${provider}: the port is unknown` };
            if (result.status !== "reach") break;
        }
        return { ...result!, declared };
    }

    private firstListenerPort(service: PlanNode | undefined): number | undefined {
        if (!service) return undefined;
        const nlb = this.g.resolveAll(service, "networkLoadBalancerArns", service.props.networkLoadBalancerArns, [TYPES.loadBalancer]).targets[0];
        const l = nlb ? this.g.listenersOf(nlb)[0] : undefined;
        return l ? numOf(l.props.port) : undefined;
    }

    /** Every ordered pair that has a path but no declared edge: through an endpoint, or directly inside a shared VPC. */
    private undeclared(declared: Set<string>): EdgeResult[] {
        const out: EdgeResult[] = [];
        const clients = this.clients();
        for (const m of this.g.meshEndpoints()) {
            const provider = m.target ? this.g.serviceName(m.target) : undefined;
            if (!provider) continue;
            const vpc = this.endpointVpc(m.endpoint);
            for (const c of clients) {
                if (c.vpc !== vpc || c.service === provider || declared.has(`${c.service}->${provider}`)) continue;
                const nlb = this.g.resolveAll(m.target!, "networkLoadBalancerArns", m.target!.props.networkLoadBalancerArns, [TYPES.loadBalancer]).targets[0];
                const ports = nlb ? this.g.listenersOf(nlb).map((l) => numOf(l.props.port)) : [];
                for (const port of ports) {
                    if (port === undefined) continue;
                    const r = this.path(c, m.endpoint, m.target, undefined, c.service!, provider, port);
                    if (r.status === "reach") {
                        out.push({ ...r, declared: false, reason: `${c.service} -> ${provider}: not declared, yet ${c.label} reaches ${provider} on ${port} through ${m.endpoint.name} (${r.hops.filter((h) => h.kind === "security group").map((h) => `${h.at}: ${h.detail}`).join("; ")})` });
                        break;
                    }
                }
            }
        }
        // Load balancers that forward to an endpoint of a provider their service does not declare.
        for (const f of this.forwardings()) {
            const consumer = this.g.serviceName(f.lb);
            const m = this.g.meshEndpoints().find((x) => x.endpoint === f.endpoint);
            const provider = m?.target ? this.g.serviceName(m.target) : undefined;
            if (!consumer || !provider || !m || consumer === provider || declared.has(`${consumer}->${provider}`)) continue;
            const port = f.port ?? this.firstListenerPort(m.target);
            if (port === undefined) continue;
            const r = this.path(this.lbEnis(f.lb), f.endpoint, m.target, undefined, consumer, provider, port);
            if (r.status === "reach") {
                out.push({ ...r, declared: false, reason: `${consumer} -> ${provider}: not declared, yet ${f.lb.name} forwards to ${provider} on ${port} through ${f.tg.name} and ${f.endpoint.name}` });
            }
        }
        // Two services' workloads in one VPC: a direct path needs no endpoint.
        const targets = this.targetsByService();
        for (const a of clients) {
            for (const [provider, list] of targets) {
                if (provider === a.service || declared.has(`${a.service}->${provider}`)) continue;
                for (const { enis, port } of list) {
                    if (enis.vpc !== a.vpc) continue;
                    const hops = this.between(a, enis, port);
                    if (hops.every((h) => h.ok)) {
                        out.push({ consumer: a.service!, provider, port, declared: false, status: "reach", hops, reason: `${a.service} -> ${provider}: not declared, yet ${a.label} reaches ${enis.label} on ${port} directly inside one VPC` });
                    }
                }
            }
        }
        const seen = new Set<string>();
        return out.filter((e) => {
            const k = `${e.consumer}->${e.provider}`;
            if (seen.has(k)) return false;
            seen.add(k);
            return true;
        });
    }

    private targetsByService(): Map<string, { enis: Enis; port: number }[]> {
        const m = new Map<string, { enis: Enis; port: number }[]>();
        for (const tg of this.g.ofType(TYPES.targetGroup)) {
            for (const reg of this.registrations(tg)) {
                const t = reg.what.kind;
                const enis = t === TYPES.ecsService ? this.clientByUrn(reg.what.urn) : t === TYPES.nodeGroup ? this.nodeGroupEnis(reg.what) : t === TYPES.asg ? this.asgEnis(reg.what) : undefined;
                const port = reg.port ?? numOf(tg.props.port);
                if (!enis?.service || port === undefined) continue;
                const l = m.get(enis.service) ?? [];
                l.push({ enis, port });
                m.set(enis.service, l);
            }
        }
        return m;
    }

    /** Routes out of a service subnet's VPC, and interface endpoints to services outside the platform. */
    private outside(declared: Set<string>, external: OutsidePath[] = []): OutsidePath[] {
        const out: OutsidePath[] = [];
        const subnets = new Map<string, { subnet: PlanNode; service: string }>();
        const all = [...this.clients(), ...this.startupClients().map((s) => s.enis)];
        for (const e of all) for (const s of e.subnets) subnets.set(s.urn, { subnet: s, service: e.service ?? "?" });
        const reported = new Set<string>();
        for (const { subnet, service } of subnets.values()) {
            const table = this.routeTableOf(subnet);
            if (!table) continue;
            for (const route of this.routesOf(table)) {
                const key = `${table.urn}|${route.dest}|${route.target}`;
                if (reported.has(key)) continue;
                reported.add(key);
                out.push({
                    service,
                    at: route.origin,
                    urn: route.urn,
                    kind: "route",
                    reason: `${service}: subnet ${subnet.name} routes ${route.dest} to ${route.target} (route table ${table.name}), a path out of the service VPC that is not an AWS-service endpoint. Fix: remove the route; services connect only through PrivateLink.`,
                });
            }
        }
        for (const m of this.g.meshEndpoints()) {
            if (m.target) continue;
            const tags = m.endpoint.props.tags;
            const edge = isRecord(tags) ? tags["privatelink:edge"] : undefined;
            if (typeof edge === "string" && declared.has(edge)) continue;
            const service = this.g.serviceName(m.endpoint) ?? "?";
            if (m.literal !== undefined && (this.opts.external?.[service] ?? []).includes(m.literal)) {
                external.push({ service, at: m.endpoint.name, urn: m.endpoint.urn, kind: "external", reason: `${service}: interface endpoint ${m.endpoint.name} leaves the platform to ${m.literal}, an external service ${service} declares` });
                continue;
            }
            out.push({ service, at: m.endpoint.name, urn: m.endpoint.urn, kind: "endpoint", reason: `${service}: interface endpoint ${m.endpoint.name} connects to ${m.literal ?? "an unknown service"}, which is neither an AWS service nor a declared edge` });
        }
        return out;
    }

    private routeTableOf(subnet: PlanNode): PlanNode | undefined {
        const assoc = this.group("rta", this.g.ofType(TYPES.routeTableAssociation), (a) => [this.g.one(a, "subnetId", [TYPES.subnet])?.urn]).get(subnet.urn)?.[0];
        if (assoc) return this.g.one(assoc, "routeTableId", [TYPES.routeTable]);
        const vpc = this.g.one(subnet, "vpcId", [TYPES.vpc]);
        if (!vpc) return undefined;
        const main = this.g.ofType(TYPES.mainRouteTableAssociation).find((a) => this.g.one(a, "vpcId", [TYPES.vpc])?.urn === vpc.urn);
        if (main) return this.g.one(main, "routeTableId", [TYPES.routeTable]);
        return this.g.ofType(TYPES.defaultRouteTable).find((d) => this.g.one(d, "defaultRouteTableId", [TYPES.vpc])?.urn === vpc.urn);
    }

    private static readonly ROUTE_TARGETS = ["gatewayId", "natGatewayId", "transitGatewayId", "vpcPeeringConnectionId", "egressOnlyGatewayId", "networkInterfaceId", "vpcEndpointId", "carrierGatewayId", "localGatewayId", "coreNetworkArn", "instanceId"];

    private routesOf(table: PlanNode): { dest: string; target: string; origin: string; urn: string }[] {
        const out: { dest: string; target: string; origin: string; urn: string }[] = [];
        const read = (r: Record<string, unknown>, origin: PlanNode) => {
            const dest = String(r.destinationCidrBlock ?? r.cidrBlock ?? r.destinationIpv6CidrBlock ?? r.ipv6CidrBlock ?? r.destinationPrefixListId ?? r.destinationPrefixListId ?? "?");
            for (const k of Analyzer.ROUTE_TARGETS) {
                const v = r[k];
                if (v === undefined || v === null || v === "" || v === "local") continue;
                const names = this.g.resolveAll(origin, k, v, ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2transitgateway/transitGateway:TransitGateway", "aws:ec2/vpcPeeringConnection:VpcPeeringConnection", "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway", TYPES.vpcEndpoint]).targets.map((t) => t.name);
                out.push({ dest, target: `${k} ${names[0] ?? (v === UNKNOWN ? "(unknown)" : String(v))}`, origin: origin.name, urn: origin.urn });
            }
        };
        const inline = table.props.routes;
        for (const r of Array.isArray(inline) ? inline : []) if (isRecord(r)) read(r, table);
        const routes = this.group("routes", this.g.ofType(TYPES.route), (r) => [this.g.one(r, "routeTableId", [TYPES.routeTable, TYPES.defaultRouteTable])?.urn]);
        for (const r of routes.get(table.urn) ?? []) read(r.props, r);
        return out;
    }

    // ------------------------------------------------------------ start-up

    private startupClientMemo?: { service: string; runtime: Runtime; enis: Enis }[];
    private startupClients(): { service: string; runtime: Runtime; enis: Enis }[] {
        if (this.startupClientMemo) return this.startupClientMemo;
        const out: { service: string; runtime: Runtime; enis: Enis }[] = [];
        for (const service of this.services()) {
            const runtime = this.runtimeOf(service);
            if (!runtime) continue;
            const mine = (t: string) => this.mine(t, service);
            // Who pulls and logs: the task ENIs on Fargate; the hosts (agent, Docker) on ECS on EC2; the nodes on EKS.
            const from = runtimeFacts(runtime).startupFrom;
            const enis =
                from === TYPES.asg
                    ? mine(TYPES.asg).map((a) => this.asgEnis(a))
                    : from === TYPES.nodeGroup
                      ? mine(TYPES.nodeGroup).map((n) => this.nodeGroupEnis(n))
                      : this.clientsOf(service);
            for (const e of enis) out.push({ service, runtime, enis: e });
        }
        this.startupClientMemo = out;
        return out;
    }

    private startup(): StartupResult[] {
        const out: StartupResult[] = [];
        for (const { service, runtime, enis } of this.startupClients()) {
            const facts = runtimeFacts(runtime);
            if (facts.startup.length === 0) {
                out.push({ service, runtime, workload: enis.label, dependency: "(none)", purpose: "nothing through the VPC at start-up", status: "ok", source: facts.startupNone ?? "", hops: [] });
                continue;
            }
            for (const dep of facts.startup) out.push(this.startupCheck(service, runtime, enis, dep));
            if (facts.reachesApiServer) out.push(this.apiServerCheck(service, enis));
        }
        return out;
    }

    private startupCheck(service: string, runtime: Runtime, enis: Enis, dep: StartupDependency): StartupResult {
        const base = { service, runtime, workload: enis.label, dependency: dep.service, purpose: fill(dep.purpose, this.region, ""), source: fill(dep.source, this.region, "") };
        const hops: Hop[] = [];
        const blocked = (h: Hop): StartupResult => {
            hops.push(h);
            return { ...base, status: "blocked", hops, reason: `${service} (${enis.label}) cannot reach ${dep.service} for ${base.purpose}: blocked at ${h.at} (${h.kind}): ${h.detail}` };
        };
        const name = `com.amazonaws.${this.region}.${dep.service}`;
        const eps = (enis.vpc ? this.endpointsByVpc().get(enis.vpc) ?? [] : []).filter((e) => e.props.serviceName === name);
        const wantType = dep.kind === "interface" ? "Interface" : "Gateway";
        const ep = eps.find((e) => (e.props.vpcEndpointType ?? "Gateway") === wantType);
        const vpc = enis.vpc ? this.g.node(enis.vpc) : undefined;
        if (!ep) return blocked({ at: vpc?.name ?? enis.label, urn: vpc?.urn, kind: "endpoint", ok: false, detail: `no ${dep.kind} endpoint ${name} in the VPC` });
        hops.push({ at: enis.label, urn: enis.urn, kind: "workload", ok: true, detail: `${service}'s ENIs in ${enis.subnets.map((s) => s.name).join(", ")}` });
        if (dep.kind === "interface") {
            if (ep.props.privateDnsEnabled !== true) return blocked({ at: ep.name, urn: ep.urn, kind: "DNS", ok: false, detail: `private DNS is off: ${dep.service}.${this.region}.amazonaws.com resolves to public addresses, unreachable from the VPC` });
            if (vpc && (vpc.props.enableDnsSupport === false || vpc.props.enableDnsHostnames !== true)) {
                return blocked({ at: vpc.name, urn: vpc.urn, kind: "DNS", ok: false, detail: "private DNS of interface endpoints needs enableDnsSupport and enableDnsHostnames on the VPC" });
            }
            for (const h of this.between(enis, this.endpointEnis(ep), 443)) {
                if (!h.ok) return blocked(h);
                hops.push(h);
            }
        } else {
            const tables = unique(enis.subnets.map((s) => this.routeTableOf(s)));
            const attached = new Set(this.g.resolveAll(ep, "routeTableIds", ep.props.routeTableIds, [TYPES.routeTable, TYPES.defaultRouteTable]).targets.map((t) => t.urn));
            const rtas = this.group("endpointRta", this.g.ofType(TYPES.vpcEndpointRouteTableAssociation), (a) => [this.g.one(a, "vpcEndpointId", [TYPES.vpcEndpoint])?.urn]);
            for (const a of rtas.get(ep.urn) ?? []) for (const t of this.g.resolveAll(a, "routeTableId", a.props.routeTableId, [TYPES.routeTable]).targets) attached.add(t.urn);
            const missing = tables.filter((t) => !t || !attached.has(t.urn));
            if (missing.length > 0) return blocked({ at: ep.name, urn: ep.urn, kind: "route", ok: false, detail: `the subnets' route table ${missing.map((t) => t?.name ?? "(the VPC's main table)").join(", ")} has no route to the ${dep.service} prefix list` });
            hops.push({ at: ep.name, urn: ep.urn, kind: "route", ok: true, detail: `prefix-list route in ${tables.map((t) => t!.name).join(", ")}` });
            const rules = enis.sgs.flatMap((k) => (this.rules.get(k) ?? []).filter((r) => r.dir === "egress" && this.portOk(r, 443)));
            const ok = rules.some((r) => r.pls.includes(ep.urn) || r.pls.some((p) => p.startsWith("pl-")) || r.cidrs.includes("0.0.0.0/0"));
            const sgHop: Hop = { at: enis.sgs.map((k) => this.sgName(k)).join(", ") || enis.label, urn: enis.sgs[0], kind: "security group", ok, detail: ok ? `egress on 443 to the ${dep.service} prefix list` : `no egress on 443 to the ${dep.service} prefix list` };
            if (!ok) return blocked(sgHop);
            hops.push(sgHop);
        }
        const account = this.accountOf(ep.urn) ?? "";
        const req = dep.request;
        const context: Record<string, string> = {};
        if (req.caller === "workload" && account) {
            context["aws:principalaccount"] = account;
        } else if (req.caller === "ecr-service") {
            context["aws:principalaccount"] = "(an AWS-owned ECR account)";
        }
        context["aws:resourceaccount"] = req.awsOwnedResource ? "(an AWS-owned account)" : account;
        if (typeof vpc?.props.id === "string") context["aws:sourcevpc"] = vpc.props.id;
        const verdict = evaluateEndpointPolicy(ep.props.policy === UNKNOWN ? undefined : ep.props.policy, {
            action: req.action,
            resource: fill(req.resource, this.region, account || "*"),
            context,
            principal: req.caller === "workload" ? account : undefined,
        });
        if (ep.props.policy === UNKNOWN) {
            hops.push({ at: ep.name, urn: ep.urn, kind: "endpoint policy", ok: true, detail: "the policy is unknown until the endpoint exists; checked after up" });
        } else if (!verdict.allowed) {
            return blocked({ at: ep.name, urn: ep.urn, kind: "endpoint policy", ok: false, detail: `${req.action} on ${fill(req.resource, this.region, account || "*")} by ${req.caller === "ecr-service" ? "ECR's presigned URL (an AWS-owned principal)" : `the workload's role (account ${account})`}: ${verdict.reason}` });
        } else {
            hops.push({ at: ep.name, urn: ep.urn, kind: "endpoint policy", ok: true, detail: verdict.reason });
        }
        return { ...base, status: "ok", hops };
    }

    /** EKS nodes reach the API server through the cluster's own ENIs: private endpoint access on, and the cluster security group on the nodes. */
    private apiServerCheck(service: string, nodes: Enis): StartupResult {
        const clusters = this.g.ofType(TYPES.eksComponent).concat(this.g.ofType(TYPES.eksCluster)).filter((c) => this.g.serviceName(c) === service);
        const base = {
            service,
            runtime: "eks" as Runtime,
            workload: nodes.label,
            dependency: "eks API server",
            purpose: "kubelet registration and the Kubernetes API, through the cluster's ENIs",
            source: "Amazon EKS User Guide, 'Cluster API server endpoint' (private access: nodes reach the API server through the cluster's ENIs in the VPC) and 'View Amazon EKS security group requirements for clusters'",
        };
        const c = clusters[0];
        if (!c) return { ...base, status: "blocked", hops: [], reason: `${service}: no EKS cluster among the records` };
        const vc = c.props.vpcConfig;
        const priv = isRecord(vc) ? vc.endpointPrivateAccess : c.props.endpointPrivateAccess;
        if (priv !== true) {
            const h: Hop = { at: c.name, urn: c.urn, kind: "API endpoint", ok: false, detail: "private endpoint access is off: nodes without internet access cannot reach the API server" };
            return { ...base, status: "blocked", hops: [h], reason: `${service} (${nodes.label}) cannot reach the eks API server: blocked at ${c.name} (API endpoint): ${h.detail}` };
        }
        const key = EKS_SG + c.urn;
        const ok = nodes.sgs.includes(key) || this.uncovered([key], "ingress", 443, { cidrs: this.cidrs(nodes.subnets), sgs: nodes.sgs, sameVpc: true }).length === 0;
        const h: Hop = { at: this.sgName(key), urn: c.urn, kind: "security group", ok, detail: ok ? "nodes carry the cluster security group (all traffic within it)" : "the cluster security group admits nothing from the nodes on 443" };
        return ok ? { ...base, status: "ok", hops: [h] } : { ...base, status: "blocked", hops: [h], reason: `${service} (${nodes.label}) cannot reach the eks API server: blocked at ${h.at} (security group): ${h.detail}` };
    }

    // ------------------------------------------------------------ all

    run(): Reachability {
        const declaredList = this.opts.declared ?? [];
        const declared = new Set(declaredList);
        const services = this.services();
        const edges: EdgeResult[] = [];
        const notes: string[] = [];
        for (const e of [...declared].sort()) {
            const [consumer, provider] = e.split("->");
            const r = this.edge(consumer, provider, true);
            edges.push(r);
            if (r.status === "partial" && r.reason) notes.push(r.reason);
        }
        const external: OutsidePath[] = [];
        const outside = this.outside(declared, external);
        return { services, edges, undeclared: this.undeclared(declared), outside, external, startup: this.startup(), notes };
    }
}

/** The analysis of a plan: its graph, or its records (e.g. the slim records of an environment's shards, lib/plan/slim.ts). */
export function analyze(plan: PlanGraph | readonly PlanRecord[], opts: AnalyzeOptions = {}): Reachability {
    return new Analyzer(plan instanceof PlanGraph ? plan : recordGraph(plan), opts).run();
}

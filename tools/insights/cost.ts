/**
 * A monthly cost estimate from the plan's resources (the records of the
 * offline preview, not the catalog) and the dated price table (prices.json).
 *
 * What is priced, the assumptions, and how to update the table:
 * docs/cost.md. Every line names its quantity, unit price, source and, when
 * one resource stands behind it, that resource's URN.
 */
import type { ResourceRecord } from "../preview/monitor";
import { PlanGraph, recordGraph } from "../../policies/lib/plan/graph";
import { TAGS, TYPES } from "../../policies/lib/plan/types";
import { runtimesOf } from "../../policies/lib/runtimes";
import { DataType, STORE_LABELS, STORE_RESOURCE_TYPES } from "../../policies/lib/service-needs";
import { eksSupportOn, MissingPriceError, PRICES, priceOf, PriceKey, PriceTable, regionPrices } from "./price-table";

/** What a line is: a fixed hourly fee, compute held at the scaling minimum, or usage under a stated assumption. */
export type CostKind = "fixed" | "compute" | "usage";

export type CostCategory =
    | "load-balancer"
    | "load-balancer-capacity"
    | "mesh-endpoint"
    | "aws-service-endpoint"
    | "eks-control-plane"
    | "fargate"
    | "ec2"
    | "ebs"
    | "kms"
    | "logs"
    | "lambda"
    | "api-gateway"
    | "waf"
    | "nat-gateway"
    | "data";

export interface CostLine {
    item: string;
    quantity: number;
    unit: string;
    unitPrice: number;
    monthly: number;
    resourceUrn?: string;
    /** The price table key and its source. */
    source: string;
    kind: CostKind;
    category: CostCategory;
}

export interface ServiceCost {
    total: number;
    /** The fixed component: hourly fees that do not depend on traffic or compute (load balancers, endpoints, control plane). */
    fixed: number;
    lines: CostLine[];
}

export interface NatComparison {
    /** The estimate's total with, in every VPC, a NAT gateway per zone (and an internet gateway) instead of the AWS-service interface endpoints. */
    total: number;
    /** total − the estimate's total (negative: NAT would cost less before data processing). */
    delta: number;
    services: Record<string, { total: number; endpointsRemoved: number; natAdded: number }>;
    /** The NAT gateway and public IPv4 lines the comparison adds. */
    lines: CostLine[];
    note: string;
}

export interface CostEstimate {
    currency: "USD";
    region: string;
    priceTableDate: string;
    hoursPerMonth: number;
    total: number;
    /** Sum of every service's and the shared fixed component. */
    fixed: number;
    services: Record<string, ServiceCost>;
    /** Lines that belong to no one service (the platform's KMS key, an edge without a service tag). */
    shared: CostLine[];
    /** Monthly cost of the consumer edges' interface endpoints and their share of the total (0..1). */
    meshEndpoints: { count: number; monthly: number };
    meshEndpointShare: number;
    natComparison: NatComparison;
    assumptions: string[];
    /** Resources the estimate could not price fully, and why. */
    notes: string[];
}

export interface EstimateOptions {
    region?: string;
    /** The stack's configuration (values as objects or as the JSON strings the engine passes). */
    stackConfig?: Record<string, unknown>;
    prices?: PriceTable;
    /** The day prices and EKS support status are taken at (YYYY-MM-DD); default: the table's date. */
    asOf?: string;
}

const PROJECT = "privatelink-platform";

function configValue(stackConfig: Record<string, unknown> | undefined, key: string): unknown {
    const v = stackConfig?.[key];
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    } catch {
        return v;
    }
}

function obj(v: unknown): Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function num(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return undefined;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "<unknown>" ? v : undefined;
}

/** A tag of a record (a map, or an Auto Scaling group's list of {key, value}), read through the plan graph. */
function tagOf(g: PlanGraph, r: ResourceRecord, key: string): string | undefined {
    const n = g.node(r.urn);
    return n ? str(g.tag(n, key)) : undefined;
}

interface Pricer {
    line(key: PriceKey, item: string, quantity: number, unit: string, kind: CostKind, category: CostCategory, r?: ResourceRecord, perHour?: boolean): CostLine;
}

function pricer(region: string, prices: PriceTable, hours: number): Pricer {
    return {
        line(key, item, quantity, unit, kind, category, r, perHour = true) {
            const e = priceOf(region, key, prices);
            const monthly = quantity * e.price * (perHour ? hours : 1);
            const line: CostLine = { item, quantity, unit, unitPrice: e.price, monthly, source: `${key}: ${e.source}`, kind, category };
            if (r) line.resourceUrn = r.urn;
            return line;
        },
    };
}

function sum(lines: CostLine[], pick: (l: CostLine) => boolean = () => true): number {
    let t = 0;
    for (const l of lines) if (pick(l)) t += l.monthly;
    return t;
}

/** The record a property depends on (by property dependency), else the sibling of that type under the same parent. */
function related(g: PlanGraph, ofType: (t: string) => ResourceRecord[], r: ResourceRecord, prop: string, type: string): ResourceRecord | undefined {
    const n = g.node(r.urn);
    const dep = n ? g.depsOf(n, prop).find(d => d.kind === type) : undefined;
    if (dep) return dep.record as ResourceRecord;
    return ofType(type).find(x => x.parent === r.parent);
}

const EKS_TYPES = [TYPES.eksComponent, TYPES.eksCluster];

/**
 * What a store costs while idle, per type: its storage lines (each at the
 * assumed GB a store holds, `when` it applies to the record). Requests are
 * billed per request (on-demand tables, S3 requests, SQS and SNS messages)
 * and are 0 at idle, so queues and topics have no line.
 */
const STORE_COSTS: Readonly<Record<DataType, { key: PriceKey; what: string; when?: (r: ResourceRecord) => boolean }[]>> = {
    dynamodb: [
        { key: "dynamodb-storage-gb-month", what: "storage" },
        { key: "dynamodb-pitr-gb-month", what: "point-in-time recovery", when: r => obj(r.inputs.pointInTimeRecovery).enabled === true },
    ],
    s3: [{ key: "s3-standard-gb-month", what: "S3 Standard storage" }],
    sqs: [],
    sns: [],
};

/**
 * Estimates the monthly cost (730 h) of a plan: per service and in total, the
 * share that is mesh endpoints, and the same services with a NAT gateway per
 * VPC instead of AWS-service endpoints.
 */
export function estimateMonthlyCost(records: ResourceRecord[], options: EstimateOptions = {}): CostEstimate {
    const prices = options.prices ?? PRICES;
    const region = options.region ?? str(configValue(options.stackConfig, "aws:region")) ?? "us-east-1";
    regionPrices(region, prices);
    const hours = prices.hoursPerMonth;
    const asOf = options.asOf ?? prices.date;
    const a = prices.assumptions;
    const platform = obj(configValue(options.stackConfig, `${PROJECT}:platform`));
    const platformZones = num(platform.availabilityZones) ?? 2;
    const platformEksVersion = str(obj(platform.eks).version);
    const p = pricer(region, prices, hours);
    const g = recordGraph(records);
    const serviceOf = (r: ResourceRecord) => g.serviceName(g.node(r.urn));
    const services: Record<string, ServiceCost> = {};
    const shared: CostLine[] = [];
    const notes: string[] = [];
    const add = (r: ResourceRecord, line: CostLine) => {
        const s = serviceOf(r);
        if (s === undefined) {
            shared.push(line);
            return;
        }
        (services[s] ??= { total: 0, fixed: 0, lines: [] }).lines.push(line);
    };
    /** What the plan creates of a type (aliases included), and the remote components that stand for theirs. */
    const ofType = (t: string) => g.ofType(t).map(n => n.record as ResourceRecord).filter(r => (r.custom && r.op === "create") || r.remote);
    const tag = (r: ResourceRecord, key: string) => tagOf(g, r, key);

    // Load balancers: hours, plus the capacity-unit baseline.
    for (const r of ofType(TYPES.loadBalancer)) {
        const kind = str(r.inputs.loadBalancerType) ?? "application";
        if (kind === "network") {
            add(r, p.line("nlb-hour", `NLB ${r.name}`, 1, "NLB-hour", "fixed", "load-balancer", r));
            add(r, p.line("nlcu-hour", `NLB ${r.name}: ${a.lcuPerLoadBalancer} NLCU baseline`, a.lcuPerLoadBalancer, "NLCU-hour", "usage", "load-balancer-capacity", r));
        } else if (kind === "application") {
            add(r, p.line("alb-hour", `ALB ${r.name}`, 1, "ALB-hour", "fixed", "load-balancer", r));
            add(r, p.line("lcu-hour", `ALB ${r.name}: ${a.lcuPerLoadBalancer} LCU baseline`, a.lcuPerLoadBalancer, "LCU-hour", "usage", "load-balancer-capacity", r));
        } else {
            notes.push(`${r.name}: load balancer type '${kind}' is not priced`);
        }
    }

    // Interface endpoints: per zone-hour; mesh (a consumer edge) or AWS-service.
    for (const r of ofType(TYPES.vpcEndpoint)) {
        const type = str(r.inputs.vpcEndpointType) ?? "Gateway";
        if (type !== "Interface") continue; // gateway endpoints are free
        const subnets = r.inputs.subnetIds;
        const zones = Array.isArray(subnets) ? subnets.length : platformZones;
        const mesh = tag(r, TAGS.endpointKind) === "mesh" || tag(r, TAGS.edge) !== undefined;
        const what = mesh ? `endpoint ${tag(r, TAGS.edge) ?? r.name}` : `endpoint ${str(r.inputs.serviceName)?.split(".").slice(3).join(".") || r.name}`;
        add(r, p.line("interface-endpoint-az-hour", `${what} × ${zones} zones`, zones, "endpoint-AZ-hour", "fixed", mesh ? "mesh-endpoint" : "aws-service-endpoint", r));
    }

    // EKS control planes, at the standard or extended-support rate for their version on `asOf`.
    for (const t of EKS_TYPES) {
        for (const r of ofType(t)) {
            const version = str(r.inputs.version) ?? platformEksVersion;
            const support = version ? eksSupportOn(version, asOf, prices) : undefined;
            if (support === undefined) notes.push(`${r.name}: Kubernetes version ${version ?? "(unset)"} not in the EKS calendar of the price table; priced at the standard-support rate`);
            const extended = support === "extended";
            const end = version ? prices.eksVersions.calendar[version]?.endOfStandardSupport : undefined;
            const item = `EKS control plane ${r.name} (Kubernetes ${version ?? "?"}${extended ? `: extended support since ${end}` : ""})`;
            add(r, p.line(extended ? "eks-cluster-hour-extended" : "eks-cluster-hour-standard", item, 1, "cluster-hour", "fixed", "eks-control-plane", r));
        }
    }

    // Fargate: task size × the minimum task count (scaling target minimum, else desiredCount).
    const targets = ofType(TYPES.appAutoscalingTarget).filter(t => str(t.inputs.serviceNamespace) === "ecs");
    for (const r of ofType(TYPES.ecsService)) {
        if (!runtimesOf(r.type, r.inputs).includes("fargate")) continue; // EC2-backed tasks are priced through their hosts
        const task = related(g, ofType, r, "taskDefinition", TYPES.taskDefinition);
        const cpu = num(task?.inputs.cpu);
        const mem = num(task?.inputs.memory);
        const scaling = new Set(g.referencing(r.urn, "resourceId").map(n => n.urn));
        const target = targets.find(t => scaling.has(t.urn)) ?? targets.find(t => t.parent === r.parent);
        const suspended = obj(target?.inputs.suspendedState).dynamicScalingOutSuspended === true;
        const tasks = target && !suspended ? num(target.inputs.minCapacity) : num(r.inputs.desiredCount);
        if (cpu === undefined || mem === undefined || tasks === undefined) {
            notes.push(`${r.name}: Fargate task size or count unknown in this plan; not priced`);
            continue;
        }
        const vcpu = cpu / 1024;
        const gb = mem / 1024;
        add(r, p.line("fargate-vcpu-hour", `Fargate ${r.name}: ${tasks} task(s) × ${vcpu} vCPU`, tasks * vcpu, "vCPU-hour", "compute", "fargate", r));
        add(r, p.line("fargate-gb-hour", `Fargate ${r.name}: ${tasks} task(s) × ${gb} GB`, tasks * gb, "GB-hour", "compute", "fargate", r));
    }

    // EC2: Auto Scaling group minimums (ECS on EC2) and EKS managed node group minimums, with their gp3 root volumes.
    const ec2 = (r: ResourceRecord, what: string, count: number, types: string[], lt: ResourceRecord | undefined, defaultDiskGb: number) => {
        const type = types[0];
        if (!type) {
            notes.push(`${r.name}: instance type unknown in this plan; not priced`);
            return;
        }
        const also = types.length > 1 ? ` (first of ${types.join(", ")})` : "";
        add(r, p.line(`ec2:${type}`, `${what} ${r.name}: ${count} × ${type}${also}`, count, "instance-hour", "compute", "ec2", r));
        const volumes = Array.isArray(lt?.inputs.blockDeviceMappings) ? lt!.inputs.blockDeviceMappings : [];
        let gb = 0;
        for (const v of volumes) gb += num(obj(obj(v).ebs).volumeSize) ?? 0;
        if (volumes.length === 0) gb = defaultDiskGb;
        if (gb > 0 && count > 0) add(r, p.line("ebs-gp3-gb-month", `EBS gp3 ${r.name}: ${count} × ${gb} GB`, count * gb, "GB-month", "compute", "ebs", r, false));
    };
    for (const r of ofType(TYPES.asg)) {
        const min = num(r.inputs.minSize) ?? 0;
        const mip = obj(r.inputs.mixedInstancesPolicy);
        const overrides = Array.isArray(obj(mip.launchTemplate).overrides) ? (obj(mip.launchTemplate).overrides as unknown[]) : [];
        const lt = related(g, ofType, r, Object.keys(mip).length > 0 ? "mixedInstancesPolicy" : "launchTemplate", TYPES.launchTemplate);
        const types = overrides.map(o => str(obj(o).instanceType)).filter((t): t is string => t !== undefined);
        const ltType = str(lt?.inputs.instanceType);
        ec2(r, "EC2 hosts", min, types.length > 0 ? types : ltType ? [ltType] : [], lt, 0);
    }
    for (const r of ofType(TYPES.nodeGroup)) {
        const min = num(obj(r.inputs.scalingConfig).minSize) ?? 0;
        const lt = related(g, ofType, r, "launchTemplate", TYPES.launchTemplate);
        const listed = Array.isArray(r.inputs.instanceTypes) ? r.inputs.instanceTypes.map(str).filter((t): t is string => t !== undefined) : [];
        const ltType = str(lt?.inputs.instanceType);
        // A managed node group without a launch template gets a 20 GiB disk by default (diskSize).
        ec2(r, "EKS nodes", min, listed.length > 0 ? listed : ltType ? [ltType] : [], lt, num(r.inputs.diskSize) ?? 20);
    }

    // KMS keys.
    for (const r of ofType(TYPES.kmsKey)) add(r, p.line("kms-key-month", `KMS key ${r.name}`, 1, "key-month", "fixed", "kms", r, false));

    // Logs: ingestion and steady-state storage under the stated volume assumption.
    const flowLogTargets = new Set<string>();
    for (const f of ofType(TYPES.flowLog)) for (const d of g.depsOf(g.node(f.urn)!, "logDestination")) flowLogTargets.add(d.urn);
    for (const r of ofType(TYPES.logGroup)) {
        const gb = a.logGbPerLogGroupMonth;
        const vended = flowLogTargets.has(r.urn);
        add(r, p.line(vended ? "logs-vended-ingest-gb" : "logs-ingest-gb", `logs ${r.name}: ${gb} GB ingested${vended ? " (flow logs)" : ""}`, gb, "GB", "usage", "logs", r, false));
        const days = num(r.inputs.retentionInDays);
        const months = days && days > 0 ? days / (365 / 12) : a.logStorageMonthsWhenNeverExpire;
        add(r, p.line("logs-storage-gb-month", `logs ${r.name}: ${round(gb * months, 2)} GB stored (${days ? `${days}-day retention` : "never expire"})`, gb * months, "GB-month", "usage", "logs", r, false));
    }

    // Stores (catalog data): storage at the assumed size; requests are 0 at idle.
    for (const [type, kind] of Object.entries(STORE_RESOURCE_TYPES)) {
        for (const r of ofType(type)) {
            const name = `${STORE_LABELS[kind]} ${tag(r, TAGS.data) ?? r.name}`;
            for (const c of STORE_COSTS[kind].filter(x => x.when?.(r) ?? true)) {
                add(r, p.line(c.key, `${name}: ${a.storeGbPerStore} GB ${c.what}`, a.storeGbPerStore, "GB-month", "usage", "data", r, false));
            }
        }
    }

    // Lambda at idle.
    for (const r of ofType(TYPES.lambda)) add(r, p.line("lambda-idle-month", `Lambda ${r.name} at idle`, 1, "function-month", "usage", "lambda", r, false));

    // The front door, if present: the REST API cache and WAF's fixed fees.
    for (const r of ofType(TYPES.apiStage)) {
        if (r.inputs.cacheClusterEnabled !== true) continue;
        const size = str(r.inputs.cacheClusterSize) ?? "0.5";
        add(r, p.line(`apigw-cache-hour:${size}`, `API Gateway cache ${r.name} (${size} GB)`, 1, "cache-hour", "fixed", "api-gateway", r));
    }
    for (const r of ofType(TYPES.webAcl)) {
        add(r, p.line("waf-web-acl-month", `WAF web ACL ${r.name}`, 1, "web ACL-month", "fixed", "waf", r, false));
        const rules = Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0;
        if (!Array.isArray(r.inputs.rules) && r.inputs.rules !== undefined) notes.push(`${r.name}: WAF rules unknown in this plan; rule fees not priced`);
        if (rules > 0) add(r, p.line("waf-rule-month", `WAF ${r.name}: ${rules} rule(s)`, rules, "rule-month", "fixed", "waf", r, false));
    }

    // NAT gateways the plan itself holds (none in this platform's design).
    for (const r of ofType(TYPES.natGateway)) {
        add(r, p.line("nat-gateway-hour", `NAT gateway ${r.name}`, 1, "NAT gateway-hour", "fixed", "nat-gateway", r));
        if (str(r.inputs.connectivityType) !== "private") add(r, p.line("public-ipv4-hour", `NAT gateway ${r.name}: public IPv4`, 1, "address-hour", "fixed", "nat-gateway", r));
    }

    for (const s of Object.values(services)) {
        s.total = sum(s.lines);
        s.fixed = sum(s.lines, l => l.kind === "fixed");
    }
    // The same services with a NAT gateway per zone (and an internet gateway, free) in each VPC that
    // reaches AWS services through interface endpoints, instead of those endpoints.
    const natLines: CostLine[] = [];
    const natServices: NatComparison["services"] = {};
    const subnets = ofType(TYPES.subnet);
    const awsEndpoints = ofType(TYPES.vpcEndpoint).filter(
        r => str(r.inputs.vpcEndpointType) === "Interface" && !(tag(r, TAGS.endpointKind) === "mesh" || tag(r, TAGS.edge) !== undefined),
    );
    const inVpc = (x: ResourceRecord, vpc: ResourceRecord) => g.depsOf(g.node(x.urn)!, "vpcId").some(d => d.urn === vpc.urn) || x.parent === vpc.parent;
    const allLines = [...Object.values(services).flatMap(s => s.lines), ...shared];
    const monthlyOf = new Map<string, number>();
    for (const l of allLines) if (l.resourceUrn && l.category === "aws-service-endpoint") monthlyOf.set(l.resourceUrn, l.monthly);
    for (const vpc of ofType(TYPES.vpc)) {
        const endpoints = awsEndpoints.filter(e => inVpc(e, vpc));
        if (endpoints.length === 0) continue; // nothing to replace: this VPC needs no egress
        const zones = new Set(subnets.filter(x => inVpc(x, vpc)).map(x => str(x.inputs.availabilityZoneId) ?? str(x.inputs.availabilityZone) ?? x.name)).size || platformZones;
        const lines = [
            p.line("nat-gateway-hour", `NAT gateways ${vpc.name}: ${zones} (one per zone)`, zones, "NAT gateway-hour", "fixed", "nat-gateway", vpc),
            p.line("public-ipv4-hour", `NAT gateways ${vpc.name}: ${zones} public IPv4`, zones, "address-hour", "fixed", "nat-gateway", vpc),
        ];
        natLines.push(...lines);
        const e = (natServices[serviceOf(vpc) ?? "(shared)"] ??= { total: 0, endpointsRemoved: 0, natAdded: 0 });
        e.natAdded += sum(lines);
        for (const ep of endpoints) e.endpointsRemoved += monthlyOf.get(ep.urn) ?? 0;
    }
    const baseOf = (name: string) => (name === "(shared)" ? sum(shared) : services[name]?.total ?? 0);
    for (const name of [...Object.keys(services), ...(shared.length > 0 ? ["(shared)"] : [])]) natServices[name] ??= { total: 0, endpointsRemoved: 0, natAdded: 0 };
    let natTotal = 0;
    for (const [name, e] of Object.entries(natServices)) {
        e.total = baseOf(name) - e.endpointsRemoved + e.natAdded;
        natTotal += e.total;
    }
    const total = sum(allLines);
    const meshLines = allLines.filter(l => l.category === "mesh-endpoint");
    const meshMonthly = sum(meshLines);

    return {
        currency: "USD",
        region,
        priceTableDate: prices.date,
        hoursPerMonth: hours,
        total,
        fixed: sum(allLines, l => l.kind === "fixed"),
        services,
        shared,
        meshEndpoints: { count: meshLines.length, monthly: meshMonthly },
        meshEndpointShare: total > 0 ? meshMonthly / total : 0,
        natComparison: {
            total: natTotal,
            delta: natTotal - total,
            services: natServices,
            lines: natLines,
            note: "hourly fees only: NAT data processing (per GB) and interface-endpoint data processing (per GB) both scale with traffic and are left out of both sides; gateway endpoints (S3) stay, free",
        },
        assumptions: [
            `${hours} hours per month; list prices of ${region} dated ${prices.date} (tools/insights/prices.json)`,
            `each load balancer uses ${a.lcuPerLoadBalancer} capacity unit (NLCU/LCU) every hour`,
            `each log group ingests ${a.logGbPerLogGroupMonth} GB per month and stores it for its retention (${a.logStorageMonthsWhenNeverExpire} months when logs never expire), uncompressed`,
            "compute at the scaling minimum: Fargate tasks at the scaling target's minimum (else desiredCount), EC2 hosts and EKS nodes at their group's minimum, On-Demand Linux, the first listed instance type",
            `EKS control planes at the rate of their Kubernetes version's support status on ${asOf}`,
            `each DynamoDB table and S3 bucket holds ${a.storeGbPerStore} GB (table storage and point-in-time recovery, S3 Standard), before any free tier`,
            "Lambda, API Gateway requests, WAF requests, DynamoDB on-demand reads and writes, S3 requests, SQS and SNS messages, and all data processing / transfer: usage-based, 0 at idle",
        ],
        notes,
    };
}

export function round(n: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(n * f) / f;
}

/**
 * The preview's cost hook (RunPreviewOptions.estimateCost): prices the plan
 * for the stack's region; a region or an item the table does not price is
 * reported through `warn` and leaves the plan without a cost, never fails it.
 */
export function costHook(warn: (message: string) => void, options: Omit<EstimateOptions, "stackConfig"> = {}) {
    return (resources: ResourceRecord[], stackConfig: Record<string, string>): CostEstimate | undefined => {
        try {
            return estimateMonthlyCost(resources, { ...options, stackConfig });
        } catch (e) {
            if (e instanceof MissingPriceError) {
                warn(`warning: no cost estimate: ${e.message}\n`);
                return undefined;
            }
            throw e;
        }
    };
}

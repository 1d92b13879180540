/**
 * What a stack needs of each AWS service quota (policies/facts/quota-data.ts),
 * counted from its resources, and how that compares with the AWS default or
 * the value the stack declares in `platform.quotas`.
 *
 * Pure functions over a minimal resource shape, so the policy pack (engine
 * PolicyResources) and the offline plan (recorded ResourceRecords) count the
 * same way. One pass over the resources plus lookups by URN: cheap enough for
 * thousands of resources.
 *
 * What is counted, and how:
 * - VPCs: every VPC resource, plus the default VPC unless the platform config
 *   says it was deleted (`platform.defaultVpcDeleted`).
 * - endpoints: Gateway endpoints per Region; Interface endpoints per VPC (the
 *   fullest VPC is the need).
 * - load balancers by type, target groups, EKS clusters, security groups (one
 *   default security group per VPC and one cluster security group per EKS
 *   cluster included: AWS creates them) and security groups per network
 *   interface (the most any one resource attaches).
 * - Fargate vCPUs: each Fargate ECS service's task CPU × its task count at
 *   the scaling maximum (what the account must hold at peak; the minimum is
 *   shown too). A rolling deployment briefly runs more (maximumPercent,
 *   200 % by default): stated, not added.
 * - EC2 vCPUs per instance class (Standard vs G and VT): Auto Scaling group
 *   and managed node group maximum sizes × the vCPUs of the largest instance
 *   type they may launch, plus single instances. Spot capacity counts against
 *   other quotas and is left out.
 * - Lambda: total reserved concurrency + the 100 executions that must stay
 *   unreserved, against the account's concurrent executions.
 * Values unknown during preview are listed, not guessed.
 */
import { UnknownValueError, UnknownValueErrorLike } from "./engine";
import { INSTANCE_CLASS_QUOTA, INSTANCE_VCPUS, LAMBDA_UNRESERVED_MINIMUM, QUOTAS, QuotaDef } from "../facts/quota-data";
import { isRecord, num, peek, str, UNKNOWN, UNKNOWN_SENTINEL } from "./values";
import { PlanGraph, PlanNode, recordGraph } from "./plan/graph";
import { TYPES } from "./plan/types";
import type { PlanRecord } from "./plan/record";

export interface QuotaNeed {
    quota: QuotaDef;
    /** What the stack needs at peak (for per-VPC and per-interface quotas: the largest single one). */
    need: number;
    /** The need at the scaling minimum, where it differs (vCPU quotas). */
    min?: number;
    /**
     * The part of `need` that exists once per account and Region however many
     * stacks share them: summing stacks counts it once. The Region's default
     * VPC ("You cannot have more than one default VPC per Region", EC2 API
     * Reference, CreateDefaultVpc:
     * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDefaultVpc.html)
     * and the Lambda concurrency that must stay unreserved ("leave at least
     * 100 simultaneous executions unreserved", Lambda API Reference,
     * PutFunctionConcurrency, against the Regional concurrency limit:
     * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html).
     */
    perAccountRegion?: number;
    /** The VPC or resource the per-VPC / per-interface need is for. */
    where?: string;
    /** How the need was counted, for the reader. */
    detail: string;
    /** Values unknown during preview that would add to the need. */
    unknown: string[];
    /** What could not be counted at all (e.g. an instance type without a vCPU entry). */
    uncounted: string[];
}

export interface CountOptions {
    /** The platform config says the Region's default VPC was deleted. */
    defaultVpcDeleted?: boolean;
}

const VPC = TYPES.vpc;
const EKS = TYPES.eksCluster;
const SG = TYPES.securityGroup;
const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
const S3_BUCKET = "aws:s3/bucket:Bucket";
const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
/** Remote (multi-language) components: offline they have no children, under the engine they do. Counted only without their child. */
const REMOTE: Record<string, string> = {
    [TYPES.awsxVpc]: VPC,
    [TYPES.eksComponent]: EKS,
    [TYPES.awsxNlb]: TYPES.loadBalancer,
    [TYPES.awsxAlb]: TYPES.loadBalancer,
};

type Val = unknown;
const isUnknown = (v: Val): boolean => v === UNKNOWN || v === UNKNOWN_SENTINEL || v === "<unknown>" || v === "[secret]";
/** One property of a node (or a path into it), read without copying the node's other properties. */
function at(n: PlanNode, key: string, ...path: (string | number)[]): Val {
    return read(n.get(key), ...path);
}

/** `peek` that also recognises the recorded "<unknown>" marker. */
function read(obj: unknown, ...path: (string | number)[]): Val {
    const v = peek(obj, ...path);
    return isUnknown(v) ? UNKNOWN : v;
}

class Tally {
    need = 0;
    /** The part of `need` that exists once per account and Region, whatever the number of stacks there. */
    perAccountRegion = 0;
    min = 0;
    parts: string[] = [];
    unknown: string[] = [];
    uncounted: string[] = [];
    where?: string;
}

/** Counts what the resources need of every quota in QUOTAS, in QUOTAS order. */
export function countQuotaNeeds(graph: PlanGraph, options: CountOptions = {}): QuotaNeed[] {
    const resources = graph.nodes;
    const byUrn = { get: (urn: string) => graph.node(urn) };
    const t = new Map<string, Tally>(QUOTAS.map((q) => [q.code, new Tally()]));
    const tally = (code: string): Tally => t.get(code)!;

    // Remote components whose child of the counted type is present (under the engine) are not counted twice.
    const expanded = new Set<string>();
    const childTypes = new Set(Object.values(REMOTE));
    for (const r of resources) {
        if (!childTypes.has(r.type)) {
            continue;
        }
        // Ancestors, each at most once: a malformed graph may have a parent cycle.
        const seen = new Set<string>();
        for (let p = r.parent; p !== undefined && !seen.has(p); p = byUrn.get(p)?.parent) {
            seen.add(p);
            const parent = byUrn.get(p);
            if (!parent) {
                break;
            }
            if (REMOTE[parent.type] === r.type) {
                expanded.add(parent.urn);
            }
        }
    }
    const counts = (r: PlanNode, type: string): boolean => r.type === type || (REMOTE[r.type] === type && !expanded.has(r.urn));

    let vpcs = 0;
    let gateways = 0;
    let nlbs = 0;
    // Stores and triggers (catalog data and triggers): tables, buckets, and rules on the default event bus.
    let tables = 0;
    let buckets = 0;
    let defaultBusRules = 0;
    let albs = 0;
    let tgs = 0;
    let eks = 0;
    let sgs = 0;
    const interfacePerVpc = new Map<string, number>();
    const vpcName = (ep: PlanNode): string => {
        const dep = (ep.deps.vpcId ?? []).map((u) => byUrn.get(u)).find((d) => d && (d.type === VPC || d.type in REMOTE));
        if (dep) {
            return dep.name;
        }
        const id = at(ep, "vpcId");
        return typeof id === "string" ? id : "(a VPC unknown until up)";
    };
    const taskDefs = new Map<string, PlanNode>();
    const scalingByService = new Map<string, PlanNode>();
    const launchTemplates = new Map<string, PlanNode>();
    const fargate: PlanNode[] = [];
    const fleets: PlanNode[] = [];
    let reserved = 0;
    const reservedBy: string[] = [];
    let sgPerEni = { n: 0, where: "" };

    for (const r of resources) {
        if (counts(r, VPC)) {
            vpcs++;
        }
        if (counts(r, EKS)) {
            eks++;
        }
        if (r.type === TYPES.vpcEndpoint) {
            const type = at(r, "vpcEndpointType");
            if (type === UNKNOWN) {
                tally("L-1B52E74A").unknown.push(`${r.name}: vpcEndpointType`);
            } else if (type === "Interface") {
                const v = vpcName(r);
                interfacePerVpc.set(v, (interfacePerVpc.get(v) ?? 0) + 1);
            } else if (type === undefined || type === "Gateway") {
                gateways++; // the provider's default type is Gateway
            }
        }
        if (r.kind === TYPES.loadBalancer || (REMOTE[r.type] === TYPES.loadBalancer && !expanded.has(r.urn))) {
            const lbType = r.type === TYPES.awsxNlb ? "network" : r.type === TYPES.awsxAlb ? "application" : at(r, "loadBalancerType");
            if (lbType === UNKNOWN) {
                tally("L-69A177A2").unknown.push(`${r.name}: loadBalancerType`);
            } else if (lbType === "network") {
                nlbs++;
            } else if (lbType === undefined || lbType === "application") {
                albs++; // the provider's default type is application
            }
        }
        if (r.kind === TYPES.targetGroup) {
            tgs++;
        }
        if (counts(r, DYNAMODB_TABLE)) {
            tables++;
        }
        if (counts(r, S3_BUCKET)) {
            buckets++;
        }
        if (counts(r, EVENT_RULE)) {
            const bus = at(r, "eventBusName");
            if (bus === UNKNOWN) tally("L-244521F2").unknown.push(`${r.name}: eventBusName`);
            else if (bus === undefined || bus === "default") defaultBusRules++;
        }
        if (r.type === SG) {
            sgs++;
        }
        sgPerEni = widest(r, sgPerEni, tally("L-2AFB9258"));
        switch (r.type) {
            case TYPES.taskDefinition:
                taskDefs.set(r.urn, r);
                break;
            case TYPES.appAutoscalingTarget:
                if (at(r, "serviceNamespace") === "ecs") {
                    for (const u of r.deps.resourceId ?? []) {
                        scalingByService.set(u, r);
                    }
                }
                break;
            case TYPES.launchTemplate:
                launchTemplates.set(r.urn, r);
                break;
            case TYPES.ecsService:
                if (isFargate(r)) {
                    fargate.push(r);
                }
                break;
            case TYPES.asg:
            case TYPES.nodeGroup:
            case TYPES.instance:
                fleets.push(r);
                break;
            case TYPES.lambda: {
                const rc = at(r, "reservedConcurrentExecutions");
                if (rc === UNKNOWN) {
                    tally("L-B99A9384").unknown.push(`${r.name}: reservedConcurrentExecutions`);
                } else if ((num(rc) ?? -1) > 0) {
                    reserved += num(rc)!;
                    reservedBy.push(`${r.name} ${num(rc)}`);
                }
                break;
            }
        }
    }

    const vpc = tally("L-F678F1CE");
    vpc.perAccountRegion = options.defaultVpcDeleted ? 0 : 1;
    vpc.need = vpcs + vpc.perAccountRegion;
    vpc.parts.push(`${vpcs} VPC${vpcs === 1 ? "" : "s"} of the stack`, options.defaultVpcDeleted ? "the default VPC deleted (platform.defaultVpcDeleted)" : "+1 for the Region's default VPC");

    let fullest: [string, number] | undefined;
    for (const e of interfacePerVpc) {
        if (!fullest || e[1] > fullest[1]) {
            fullest = e;
        }
    }
    const iface = tally("L-29B6F2EB");
    iface.need = fullest?.[1] ?? 0;
    iface.where = fullest?.[0];
    iface.parts.push(fullest ? `the fullest VPC, ${fullest[0]}, has ${fullest[1]} (${interfacePerVpc.size} VPCs with interface endpoints)` : "no interface endpoints");

    tally("L-1B52E74A").need = gateways;
    tally("L-1B52E74A").parts.push(`${gateways} gateway endpoints`);
    tally("L-69A177A2").need = nlbs;
    tally("L-69A177A2").parts.push(`${nlbs} NLBs`);
    tally("L-53DA6B97").need = albs;
    tally("L-53DA6B97").parts.push(`${albs} ALBs`);
    tally("L-B22855CB").need = tgs;
    tally("L-B22855CB").parts.push(`${tgs} target groups`);
    tally("L-F98FE922").need = tables;
    tally("L-F98FE922").parts.push(`${tables} DynamoDB tables`);
    tally("L-DC2B2D3D").need = buckets;
    tally("L-DC2B2D3D").parts.push(`${buckets} S3 buckets (the account's others, in every Region, count too)`);
    tally("L-244521F2").need = defaultBusRules;
    tally("L-244521F2").parts.push(`${defaultBusRules} rules on the default event bus (schedules)`);
    tally("L-1194D53C").need = eks;
    tally("L-1194D53C").parts.push(`${eks} EKS clusters`);
    const sgRegion = tally("L-E79EC296");
    sgRegion.need = sgs + vpcs + eks;
    sgRegion.parts.push(`${sgs} security groups`, `${vpcs} default security groups (one per VPC)`, `${eks} EKS cluster security groups`);
    const perEni = tally("L-2AFB9258");
    perEni.need = sgPerEni.n;
    perEni.where = sgPerEni.where || undefined;
    perEni.parts.push(sgPerEni.where ? `${sgPerEni.where} attaches ${sgPerEni.n}` : "no security groups attached");

    countFargate(fargate, taskDefs, scalingByService, tally("L-3032A538"));
    countEc2(fleets, launchTemplates, tally);

    const lambda = tally("L-B99A9384");
    if (reserved > 0) {
        lambda.perAccountRegion = LAMBDA_UNRESERVED_MINIMUM;
        lambda.need = reserved + LAMBDA_UNRESERVED_MINIMUM;
        lambda.parts.push(`${reserved} reserved (${reservedBy.join(", ")}) + ${LAMBDA_UNRESERVED_MINIMUM} that must stay unreserved`);
    } else {
        lambda.parts.push("no reserved concurrency");
    }

    return QUOTAS.map((q) => {
        const x = tally(q.code);
        const withMin = q.unit === "vCPUs" && x.min !== x.need;
        return {
            quota: q,
            need: round(x.need),
            ...(withMin ? { min: round(x.min) } : {}),
            ...(x.perAccountRegion > 0 ? { perAccountRegion: x.perAccountRegion } : {}),
            ...(x.where ? { where: x.where } : {}),
            detail: x.parts.join("; "),
            unknown: x.unknown,
            uncounted: x.uncounted,
        };
    });
}

function round(n: number): number {
    return Math.round(n * 100) / 100;
}

/** Security groups one resource attaches to its network interfaces. */
const SG_PATHS: Record<string, (string | number)[][]> = {
    [TYPES.ecsService]: [["networkConfiguration", "securityGroups"]],
    [TYPES.lambda]: [["vpcConfig", "securityGroupIds"]],
    [TYPES.vpcEndpoint]: [["securityGroupIds"]],
    [TYPES.loadBalancer]: [["securityGroups"]],
    [TYPES.launchTemplate]: [["vpcSecurityGroupIds"], ["networkInterfaces", 0, "securityGroups"]],
    [TYPES.instance]: [["vpcSecurityGroupIds"]],
};

function widest(r: PlanNode, best: { n: number; where: string }, t: Tally): { n: number; where: string } {
    for (const path of SG_PATHS[r.kind] ?? []) {
        const v = at(r, ...(path as [string, ...(string | number)[]]));
        if (v === UNKNOWN) {
            t.unknown.push(`${r.name}: ${path.join(".")}`);
        } else if (Array.isArray(v) && v.length > best.n) {
            best = { n: v.length, where: r.name };
        }
    }
    return best;
}

function isFargate(svc: PlanNode): boolean {
    if (at(svc, "launchType") === "FARGATE") {
        return true;
    }
    const cps = at(svc, "capacityProviderStrategies");
    return Array.isArray(cps) && cps.some((_, i) => read(cps, i, "capacityProvider") === "FARGATE");
}

function countFargate(services: PlanNode[], taskDefs: Map<string, PlanNode>, scaling: Map<string, PlanNode>, t: Tally): void {
    const parts: string[] = [];
    for (const svc of services) {
        const td = (svc.deps.taskDefinition ?? []).map((u) => taskDefs.get(u)).find((x) => !!x);
        const cpu = td ? at(td, "cpu") : UNKNOWN;
        const target = scaling.get(svc.urn);
        const desired = at(svc, "desiredCount");
        const max = target ? at(target, "maxCapacity") : desired;
        const min = target ? at(target, "minCapacity") : desired;
        if (cpu === UNKNOWN || max === UNKNOWN || min === UNKNOWN) {
            t.unknown.push(`${svc.name}: ${cpu === UNKNOWN ? "task cpu" : "task count"}`);
            continue;
        }
        const vcpu = (num(cpu) ?? 0) / 1024;
        const tasksMax = Math.max(num(max) ?? 0, num(desired) ?? 0);
        const tasksMin = num(min) ?? 0;
        t.need += vcpu * tasksMax;
        t.min += vcpu * tasksMin;
        parts.push(`${svc.name} ${tasksMin}–${tasksMax} × ${vcpu}`);
    }
    t.parts.push(
        services.length === 0
            ? "no Fargate services"
            : `tasks × vCPU at the scaling minimum–maximum: ${parts.join(", ")}; a rolling deployment briefly runs up to maximumPercent (200 % by default) of a service's tasks`,
    );
}

function instanceTypesOf(r: PlanNode, launchTemplates: Map<string, PlanNode>): unknown[] | typeof UNKNOWN {
    const fromTemplate = (): unknown[] | typeof UNKNOWN => {
        const lt = [...(r.deps.launchTemplate ?? []), ...(r.deps.mixedInstancesPolicy ?? [])].map((u) => launchTemplates.get(u)).find((x) => !!x);
        if (!lt) {
            return [];
        }
        const it = at(lt, "instanceType");
        return it === UNKNOWN ? UNKNOWN : it === undefined ? [] : [it];
    };
    switch (r.type) {
        case TYPES.nodeGroup: {
            const its = at(r, "instanceTypes");
            if (its === UNKNOWN) {
                return UNKNOWN;
            }
            if (Array.isArray(its) && its.length > 0) {
                return its.map((_, i) => read(its, i));
            }
            const lt = fromTemplate();
            return lt === UNKNOWN || lt.length > 0 ? lt : ["t3.medium"]; // EKS's default for a managed node group
        }
        case TYPES.instance:
            return [at(r, "instanceType")];
        default: {
            const overrides = at(r, "mixedInstancesPolicy", "launchTemplate", "overrides");
            if (overrides === UNKNOWN) {
                return UNKNOWN;
            }
            if (Array.isArray(overrides) && overrides.length > 0) {
                return overrides.map((_, i) => read(overrides, i, "instanceType"));
            }
            return fromTemplate();
        }
    }
}

function countEc2(fleets: PlanNode[], launchTemplates: Map<string, PlanNode>, tally: (code: string) => Tally): void {
    const parts = new Map<string, string[]>();
    for (const r of fleets) {
        const isNodeGroup = r.type === TYPES.nodeGroup;
        const isInstance = r.type === TYPES.instance;
        if (isNodeGroup && at(r, "capacityType") === "SPOT") {
            continue; // Spot capacity counts against the Spot quotas
        }
        const max = isInstance ? 1 : isNodeGroup ? at(r, "scalingConfig", "maxSize") : at(r, "maxSize");
        const min = isInstance ? 1 : isNodeGroup ? at(r, "scalingConfig", "minSize") : at(r, "minSize");
        const types = instanceTypesOf(r, launchTemplates);
        if (types === UNKNOWN || types.some((x) => x === UNKNOWN) || max === UNKNOWN || min === UNKNOWN) {
            tally("L-1216C47A").unknown.push(`${r.name}: ${types === UNKNOWN ? "instance types" : "size"}`);
            continue;
        }
        const known = types.map((x) => str(x)).filter((x): x is string => !!x);
        if (known.length === 0) {
            tally("L-1216C47A").uncounted.push(`${r.name}: no instance type declared`);
            continue;
        }
        // Several types: each instance may be the largest.
        let widestType = "";
        let vcpus = 0;
        let code: string | undefined;
        for (const type of known) {
            const v = INSTANCE_VCPUS[type];
            const cls = INSTANCE_CLASS_QUOTA[/^[a-z]+/.exec(type)?.[0] ?? ""];
            if (v === undefined || cls === undefined) {
                const into = tally(cls ?? "L-1216C47A");
                into.uncounted.push(
                    cls === undefined
                        ? `${r.name}: instance type ${type} belongs to an instance class without a quota in policies/facts/quota-data.ts (its On-Demand vCPUs count against another EC2 quota)`
                        : `${r.name}: instance type ${type} has no vCPU entry in policies/facts/quota-data.ts (add it from the EC2 instance type specifications)`,
                );
                continue;
            }
            if (v > vcpus) {
                vcpus = v;
                widestType = type;
                code = cls;
            }
        }
        if (!code) {
            continue;
        }
        const t = tally(code);
        t.need += (num(max) ?? 0) * vcpus;
        t.min += (num(min) ?? 0) * vcpus;
        const list = parts.get(code) ?? [];
        list.push(`${r.name} ${num(min) ?? 0}–${num(max) ?? 0} × ${widestType} (${vcpus} vCPUs)`);
        parts.set(code, list);
    }
    for (const code of ["L-1216C47A", "L-DB2E81BA"]) {
        const list = parts.get(code);
        tally(code).parts.push(list ? `instances × vCPUs at minimum–maximum size: ${list.join(", ")}` : "no On-Demand instances of this class");
    }
}

// ---------------------------------------------------------------------------
// Against the limits: AWS defaults and the stack's declared values.

/** `platform.quotas` and `platform.defaultVpcDeleted` as read from the stack configuration (tolerant of any shape). */
export interface DeclaredQuotas {
    quotas: Record<string, number>;
    defaultVpcDeleted: boolean;
}

export function declaredFrom(platform: unknown): DeclaredQuotas {
    const out: DeclaredQuotas = { quotas: {}, defaultVpcDeleted: false };
    if (!isRecord(platform)) {
        return out;
    }
    out.defaultVpcDeleted = platform.defaultVpcDeleted === true;
    if (isRecord(platform.quotas)) {
        for (const [k, v] of Object.entries(platform.quotas)) {
            const n = num(v);
            if (n !== undefined) {
                out.quotas[k] = n;
            }
        }
    }
    return out;
}

export type QuotaStatus = "within default" | "declared" | "exceeds default" | "exceeds declared";

export interface QuotaRow {
    code: string;
    serviceCode: string;
    name: string;
    scope: QuotaDef["scope"];
    region: string;
    unit: string;
    need: number;
    min?: number;
    /** See QuotaNeed.perAccountRegion. */
    perAccountRegion?: number;
    where?: string;
    default: number;
    declared?: number;
    /** The limit compared against: the declared value if any, else the AWS default. */
    limit: number;
    /** A declared value is the user's word: nothing offline can check it. */
    limitSource: "AWS default" | "declared, not verifiable offline";
    status: QuotaStatus;
    ok: boolean;
    detail: string;
    unknown: string[];
    uncounted: string[];
    /** The command that raises the quota to what the stack needs (or to the declared value, when higher). */
    raise: string;
    source: string;
    note?: string;
}

export function raiseCommand(q: Pick<QuotaDef, "serviceCode" | "code">, desired: number, region: string): string {
    return `aws service-quotas request-service-quota-increase --service-code ${q.serviceCode} --quota-code ${q.code} --desired-value ${Math.ceil(desired)} --region ${region}`;
}

/** Needs against limits, one row per quota. */
export function quotaRows(needs: readonly QuotaNeed[], declared: DeclaredQuotas, region: string): QuotaRow[] {
    return needs.map((n) => {
        const q = n.quota;
        const d = declared.quotas[q.code];
        const limit = d ?? q.default;
        // A quota whose value in new accounts AWS does not state is trusted only when declared.
        const ok = n.need <= limit && !(q.declareWhenNeeded && d === undefined && n.need > 0);
        const status: QuotaStatus = d === undefined ? (ok ? "within default" : "exceeds default") : ok ? "declared" : "exceeds declared";
        return {
            code: q.code,
            serviceCode: q.serviceCode,
            name: q.name,
            scope: q.scope,
            region,
            unit: q.unit,
            need: n.need,
            ...(n.min !== undefined ? { min: n.min } : {}),
            ...(n.perAccountRegion !== undefined ? { perAccountRegion: n.perAccountRegion } : {}),
            ...(n.where ? { where: n.where } : {}),
            default: q.default,
            ...(d !== undefined ? { declared: d } : {}),
            limit,
            limitSource: d === undefined ? "AWS default" : "declared, not verifiable offline",
            status,
            ok,
            detail: n.detail,
            unknown: n.unknown,
            uncounted: n.uncounted,
            raise: raiseCommand(q, Math.max(n.need, d ?? 0, 1), region),
            source: q.source,
            ...(q.note ? { note: q.note } : {}),
        };
    });
}

const CONFIG_PLATFORM = "privatelink-platform:platform";

function parsed(v: unknown): unknown {
    if (typeof v === "string" && /^\s*[{[]/.test(v)) {
        try {
            return JSON.parse(v) as unknown;
        } catch {
            return v;
        }
    }
    return v;
}

/**
 * The quota table of a plan: recorded resources and the stack configuration
 * (`"<namespace>:<key>"` → value, as the preview and the engine pass it).
 */
export function quotaReport(records: readonly PlanRecord[], stackConfig: Record<string, unknown> = {}): QuotaRow[] {
    const declared = declaredFrom(parsed(stackConfig[CONFIG_PLATFORM]));
    const region = str(stackConfig["aws:region"]) ?? "the stack's region";
    return quotaRows(countQuotaNeeds(recordGraph(records), { defaultVpcDeleted: declared.defaultVpcDeleted }), declared, region);
}

/** For rules: an unknown value error naming what was unknown. */
export function unknownQuotaInputs(rows: readonly QuotaRow[]): UnknownValueErrorLike | undefined {
    const open = rows.filter((r) => r.ok && r.unknown.length > 0);
    return open.length > 0 ? new UnknownValueError(UNKNOWN_SENTINEL, open.flatMap((r) => r.unknown)) : undefined;
}

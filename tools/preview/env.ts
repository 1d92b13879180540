/**
 * The offline environment plan: `npm run plan -- --env dev`.
 *
 * Plans every shard stack of an environment offline, one after another in
 * one process (the SDK, the AWS packages and the policy pack are loaded
 * once; each run only re-requires the project's own modules), answering each
 * `StackReference` from the other shards' offline outputs, then runs the
 * checks that need both halves of an edge or totals over several stacks
 * (./env-checks.ts).
 *
 * Convergence. Under the engine a `StackReference` reads the other stack's
 * last deployed outputs; a consumer needs its provider's endpoint service
 * name, and a provider accepts its consumers' endpoint ids, so every
 * cross-shard edge is a cycle between two stacks. The plan simulates the
 * deployment: shards are planned in wave order (providers first), each
 * reading the outputs the shards planned before it exported (a shard not yet
 * planned has none, like a stack never deployed), and a shard whose reads
 * differ from the other shards' latest outputs is planned again, until
 * nothing changes (bounded: see MAX_PASSES). The outputs other stacks read are
 * those of `--mode up`, since a reference reads a deployed stack: in
 * `--mode preview` the passes that converge run as `up` and keep only the
 * outputs, then every shard is planned once more as a preview reading the
 * converged outputs (what `pulumi preview` of each shard shows once the
 * environment is deployed).
 *
 * Memory. A shard's records are released as soon as it is planned: what is
 * kept per shard is its summary, its policy findings, its quota rows, the
 * few facts the environment checks join (endpoints, endpoint services,
 * accepters) and the slim network records of the reachability model.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { ACCOUNT_ID, assumedRoleAccount, qualifiedStackName, STACK_REFERENCE_TYPE } from "./cloud";
import { readProject, readStackConfig, stackFilePath } from "./config";
import { EvaluatePolicies, NeedsInputRecord, OFFLINE_ORGANIZATION, QuotaReport, QuotaRow, ResourceRecord, runPreview, Violation } from "./index";
import { Mode } from "./monitor";
import { display } from "./values";
import type { Shard } from "../../components/catalog/shards";

/**
 * One shard as the environment plan sees it: the catalog's `Shard`
 * (components/catalog/shards.ts, a type only: the plan runs any program that
 * follows the issue-11 contract), plus whether its account is a fake one.
 */
export type EnvShard = Shard & {
    /** True when the catalog leaves the account as needsInput and the plan gave it a fake account of its own. */
    fakeAccount?: boolean;
};

/** A declared `consumes` edge and the shards of its two ends. */
export interface EnvEdge {
    consumer: string;
    provider: string;
    consumerShard: string;
    providerShard: string;
}

/** What the plan needs to know of an environment. */
export interface EnvironmentModel {
    env: string;
    region: string;
    shards: EnvShard[];
    /** Every declared edge, within a shard or across shards. */
    edges: EnvEdge[];
    /** The `config:` map of a shard's stack. */
    stackConfigOf(shard: EnvShard): Record<string, unknown>;
    /** The environment's stack configuration (the catalog, the declared quotas). */
    envConfig: Record<string, unknown>;
    /** Per service, principals the catalog admits besides its consumers' accounts (`allowedPrincipals`). */
    extraPrincipals?: Record<string, string[]>;
}

/** A shard's interface endpoint, as the environment checks join it. */
export interface EndpointFact {
    shard: string;
    urn: string;
    /** The service whose VPC holds the endpoint (tag privatelink:consumer, else privatelink:service). */
    consumer?: string;
    serviceName: unknown;
    id: unknown;
}

/** A shard's endpoint service. */
export interface EndpointServiceFact {
    shard: string;
    urn: string;
    service?: string;
    allowedPrincipals: unknown;
    serviceName: unknown;
    id: unknown;
}

/** A shard's endpoint connection accepter. */
export interface AccepterFact {
    shard: string;
    urn: string;
    vpcEndpointServiceId: unknown;
    vpcEndpointId: unknown;
}

/** What is kept of a planned shard (its records are released). */
export interface ShardOutcome {
    name: string;
    stack: string;
    /** The account the shard's resources answer as (its assumed role's, or the one it was planned as). */
    account: string;
    /** True when the catalog leaves the account as needsInput and the plan used a fake account of its own. */
    fakeAccount: boolean;
    region: string;
    services: string[];
    /** How many times the shard was planned (convergence passes included). */
    runs: number;
    resources: number;
    violations: Violation[];
    quotas: QuotaRow[];
    needsInput: NeedsInputRecord[];
    errors?: Array<{ path: string; message: string }>;
    /** Stacks it reads through StackReference. */
    references: string[];
    endpoints: EndpointFact[];
    endpointServices: EndpointServiceFact[];
    accepters: AccepterFact[];
}

/** Slim records of the reachability model (policies/lib/reachability/records.ts NetRecord). */
export type NetRecordLike = { urn: string; type: string; name: string; parent?: string; props: Record<string, unknown>; deps: Record<string, string[]> };

export interface PlanEnvironmentOptions {
    projectDir: string;
    model: EnvironmentModel;
    mode?: Mode;
    evaluatePolicies?: EvaluatePolicies;
    quotaReport?: QuotaReport;
    /** Turns a shard's records into the reachability model's slim records (policies/lib/reachability fromRawRecords). */
    toNetRecords?: (records: ResourceRecord[], mode: Mode) => NetRecordLike[];
    /** Shard order, e.g. the waves of tools/env/waves.ts (flattened); default: providers before consumers. */
    order?: string[];
    /** Called after each run, with the shard's records (which are released once it returns). */
    onShardPlanned?: (shard: string, info: { pass: number; mode: Mode; resources: number }) => void;
}

export interface EnvironmentPlan {
    env: string;
    mode: Mode;
    shards: ShardOutcome[];
    /** The converged outputs of each shard's stack (wire form), by qualified stack name. */
    outputs: Map<string, Record<string, unknown>>;
    /** The slim network records of every shard, for the reachability check over the union. */
    netRecords: NetRecordLike[];
    /** Number of planning passes (1 when no shard had to be planned again). */
    passes: number;
    /** Total program runs. */
    runs: number;
}

/**
 * At most this many passes: each cross-shard edge converges in three (the
 * provider's name, the consumer's endpoint, the provider's acceptance), so
 * a fourth pass that still changes something means outputs that depend on
 * themselves (an error, reported).
 */
export const MAX_PASSES = 4;

export class EnvironmentConvergenceError extends Error {}

/** A 12-digit fake account for a shard whose account is still needsInput: distinct per shard, never the cloud's own. */
export function fakeAccountFor(env: string, shard: string): string {
    const digits = BigInt(`0x${createHash("sha256").update(`fake-account|${env}|${shard}`).digest("hex").slice(0, 15)}`).toString().padStart(12, "0").slice(-12);
    const account = digits.startsWith("0") ? `7${digits.slice(1)}` : digits;
    return account === ACCOUNT_ID ? `${account.slice(0, 11)}${(Number(account[11]) + 1) % 10}` : account;
}

/**
 * Default order: a shard after the shards it consumes from (providers first),
 * ties and cycles broken by name, so the result is stable.
 */
export function providersFirst(shards: EnvShard[], edges: EnvEdge[]): string[] {
    const names = shards.map(s => s.name).sort();
    const needs = new Map(names.map(n => [n, new Set<string>()]));
    for (const e of edges) if (e.consumerShard !== e.providerShard) needs.get(e.consumerShard)?.add(e.providerShard);
    const done = new Set<string>();
    const order: string[] = [];
    while (order.length < names.length) {
        const ready = names.filter(n => !done.has(n) && [...needs.get(n)!].every(p => done.has(p)));
        // A cycle: take the pending shard with the fewest pending providers.
        const next = ready.length > 0 ? ready : [names.filter(n => !done.has(n)).sort((a, b) => pendingCount(a) - pendingCount(b) || a.localeCompare(b))[0]];
        for (const n of next) {
            done.add(n);
            order.push(n);
        }
    }
    return order;

    function pendingCount(n: string): number {
        return [...needs.get(n)!].filter(p => !done.has(p)).length;
    }
}

function fingerprint(v: unknown): string {
    return createHash("sha256").update(JSON.stringify(v ?? null)).digest("hex");
}

function tagsOf(r: ResourceRecord): Record<string, unknown> {
    const t = (r.inputs.tags ?? r.outputs.tags) as unknown;
    return t && typeof t === "object" ? (t as Record<string, unknown>) : {};
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
}

/** The facts the environment checks join, taken from a shard's records (display form). */
export function factsOf(shard: string, records: ResourceRecord[]): Pick<ShardOutcome, "endpoints" | "endpointServices" | "accepters" | "references"> & { roleAccount?: string } {
    const out: ReturnType<typeof factsOf> = { endpoints: [], endpointServices: [], accepters: [], references: [] };
    for (const r of records) {
        const props = { ...r.outputs, ...r.inputs };
        switch (r.type) {
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                if (props.vpcEndpointType !== "Interface") break;
                const tags = tagsOf(r);
                out.endpoints.push({ shard, urn: r.urn, consumer: str(tags["privatelink:consumer"]) ?? str(tags["privatelink:service"]), serviceName: props.serviceName, id: r.id });
                break;
            }
            case "aws:ec2/vpcEndpointService:VpcEndpointService":
                out.endpointServices.push({ shard, urn: r.urn, service: str(tagsOf(r)["privatelink:service"]), allowedPrincipals: props.allowedPrincipals, serviceName: r.outputs.serviceName, id: r.id });
                break;
            case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
                out.accepters.push({ shard, urn: r.urn, vpcEndpointServiceId: props.vpcEndpointServiceId, vpcEndpointId: props.vpcEndpointId });
                break;
            case STACK_REFERENCE_TYPE:
                out.references.push(String(r.inputs.name ?? r.id ?? r.name));
                break;
            case "pulumi:providers:aws":
                out.roleAccount ??= assumedRoleAccount(r.inputs);
                break;
        }
    }
    return out;
}

/** The stack configuration of a shard: its generated stack file if there is one, else the environment's plus the shard's selection. */
export function shardStackConfig(projectDir: string, envConfig: Record<string, unknown>, env: string, shard: EnvShard, namespace: string): Record<string, unknown> {
    const project = readProject(projectDir);
    const file = stackFilePath(project, shard.stack);
    if (fs.existsSync(file)) return readStackConfig(project, shard.stack);
    return { ...envConfig, [`${namespace}:environment`]: env, [`${namespace}:shard`]: shard.name };
}

/** Plans every shard of the environment; see the module comment. */
export async function planEnvironment(options: PlanEnvironmentOptions): Promise<EnvironmentPlan> {
    const { model, projectDir } = options;
    const mode: Mode = options.mode ?? "preview";
    const project = readProject(projectDir).name;
    const byName = new Map(model.shards.map(s => [s.name, s]));
    const order = (options.order ?? providersFirst(model.shards, model.edges)).filter(n => byName.has(n));
    for (const s of model.shards) if (!order.includes(s.name)) order.push(s.name);

    const qualified = (stack: string) => qualifiedStackName(stack, { organization: OFFLINE_ORGANIZATION, project });
    const outputs = new Map<string, Record<string, unknown>>();
    /** Per shard: what each of its references read at its latest convergence run. */
    const reads = new Map<string, Map<string, string>>();
    const outcomes = new Map<string, ShardOutcome>();
    const net = new Map<string, NetRecordLike[]>();
    const runs = new Map<string, number>();
    let totalRuns = 0;

    // A shard whose account is still needsInput is planned as a fake account of its own.
    const accountOf = (s: EnvShard) => (s.accountNeedsInput ? fakeAccountFor(model.env, s.name) : undefined);

    async function run(shard: EnvShard, runMode: Mode, pass: number, full: boolean): Promise<void> {
        const stack = qualified(shard.stack);
        const readNow = new Map<string, string>();
        let wire: Record<string, unknown> | undefined;
        const stackConfig = model.stackConfigOf(shard);
        const accountId = accountOf(shard);
        const result = await runPreview({
            projectDir,
            stack: shard.stack,
            mode: runMode,
            stackConfig,
            accountId,
            stackOutputs: outputs,
            reuseModules: true,
            onStackOutputs: o => {
                wire = o;
            },
            evaluatePolicies: full ? options.evaluatePolicies : undefined,
            quotaReport: full ? options.quotaReport : undefined,
        });
        totalRuns++;
        runs.set(shard.name, (runs.get(shard.name) ?? 0) + 1);
        const facts = factsOf(shard.name, result.resources);
        for (const ref of facts.references) readNow.set(qualified(ref), fingerprint(outputs.get(qualified(ref))));
        reads.set(shard.name, readNow);
        if (wire !== undefined && runMode === "up") outputs.set(stack, wire);
        if (full) {
            const { roleAccount, ...kept } = facts;
            outcomes.set(shard.name, {
                name: shard.name,
                stack: shard.stack,
                account: roleAccount ?? accountId ?? ACCOUNT_ID,
                fakeAccount: accountId !== undefined || shard.fakeAccount === true,
                region: str(stackConfig["aws:region"]) ?? model.region,
                services: shard.services,
                runs: 0,
                resources: result.resources.length,
                violations: result.violations,
                quotas: result.quotas ?? [],
                needsInput: result.needsInput,
                ...(result.errors ? { errors: result.errors } : {}),
                ...kept,
            });
            if (options.toNetRecords) net.set(shard.name, options.toNetRecords(result.resources, runMode));
        }
        options.onShardPlanned?.(shard.name, { pass, mode: runMode, resources: result.resources.length });
        // `result` (and its records) goes out of scope here.
    }

    /** Shards whose references read something other than the latest outputs. */
    const stale = () => order.filter(n => [...(reads.get(n) ?? new Map()).entries()].some(([stack, seen]) => seen !== fingerprint(outputs.get(stack))));

    // Converge: in `up` every run is final until the shard is planned again;
    // in `preview` the converging runs are `up` runs kept for their outputs.
    const converging: Mode = "up";
    const full = mode === "up";
    // In a preview, a shard with no cross-shard edge neither reads nor is read
    // by another shard: it needs no converging `up` run, only its preview.
    const linked = new Set(model.edges.filter(e => e.consumerShard !== e.providerShard).flatMap(e => [e.consumerShard, e.providerShard]));
    let pending = full ? order : order.filter(n => linked.has(n));
    let pass = 0;
    while (pending.length > 0) {
        pass++;
        if (pass > MAX_PASSES) {
            throw new EnvironmentConvergenceError(`the shards' outputs did not settle after ${MAX_PASSES} passes (still changing: ${pending.join(", ")}): a shard's outputs depend on what it reads of itself`);
        }
        for (const name of pending) await run(byName.get(name)!, converging, pass, full);
        pending = stale();
    }
    if (mode === "preview") {
        for (const name of order) await run(byName.get(name)!, "preview", pass + 1, true);
    }
    for (const [name, o] of outcomes) o.runs = runs.get(name) ?? 0;
    return {
        env: model.env,
        mode,
        shards: order.map(n => outcomes.get(n)!).filter(Boolean),
        outputs,
        netRecords: order.flatMap(n => net.get(n) ?? []),
        passes: pass,
        runs: totalRuns,
    };
}

/** Display form of a shard's converged outputs (for JSON output). */
export function displayOutputs(plan: EnvironmentPlan): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of plan.outputs) out[k] = display(v);
    return out;
}

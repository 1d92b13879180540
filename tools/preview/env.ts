/**
 * The offline environment plan: `npm run plan -- --env dev`.
 *
 * Plans every shard stack of an environment offline in one process (the
 * SDK, the AWS packages and the policy pack are loaded once per thread; each
 * run only re-requires the program's entry module), answering each
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
 * planned has none: every shard stack of the environment exists, created by
 * `npm run env -- init` before wave 1, but is not deployed yet; a reference
 * to a stack outside the environment fails, as the engine's does), and a
 * shard whose reads
 * differ from the other shards' latest outputs is planned again, until
 * nothing changes (bounded: see MAX_PASSES). The outputs other stacks read are
 * those of `--mode up`, since a reference reads a deployed stack: in
 * `--mode preview` the passes that converge run as `up` and keep only the
 * outputs, then every shard is planned once more as a preview reading the
 * converged outputs (what `pulumi preview` of each shard shows once the
 * environment is deployed).
 *
 * What a shard reads. With the program's output contract (model.outputs,
 * from SHARD_OUTPUTS in components/catalog/shards.ts) a shard sees only the
 * output keys it reads of each neighbour, a read is fingerprinted per key,
 * and in `--mode preview` a shard is planned again only when a key its own
 * outputs depend on changed (its preview reads the rest).
 *
 * Lanes. Shards of one pass run side by side (./env-pool.ts) as soon as
 * their neighbours earlier in the pass are planned: each reads exactly what
 * it would read were the pass run one shard after another.
 *
 * A change (`--changed`, `reuse`). With a cache of shard plans
 * (./env-cache.ts), every shard the change does not touch starts from its
 * last `up` run in the cache, as if the environment were deployed as of the
 * plan that wrote it; the touched shards run, and from there the passes run
 * exactly as above: a shard whose reads differ from what its neighbours
 * export now is planned again, and so on transitively. Each shard's final
 * run is then taken from the cache when the cache holds one for exactly its
 * inputs (its static key and what it reads now), and planned otherwise. A
 * shard's outputs depend only on its inputs, so the plan converges on the
 * same outputs and findings as planning every shard from nothing
 * (test/preview/env-changed.test.ts compares both over random edits).
 *
 * Memory. A shard's records are released as soon as it is planned: what is
 * kept per shard is its summary, its policy findings, its quota rows, the
 * few facts the environment checks join (endpoints, endpoint services,
 * accepters) and the slim network records of the reachability model.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { ACCOUNT_ID, qualifiedStackName } from "./cloud";
import { readProject, readStackConfig, stackFilePath } from "./config";
import type { ShardCache } from "./env-cache";
import { createShardPool } from "./env-pool";
import { AccepterFact, EndpointFact, EndpointServiceFact, NetRecordLike, ShardHooks, ShardJob, ShardRunResult } from "./env-run";
import { EvaluatePolicies, NeedsInputRecord, OFFLINE_ORGANIZATION, QuotaReport, QuotaRow, ResourceRecord, Violation } from "./index";
import { Mode } from "./monitor";
import { display } from "./values";
import type { Shard } from "../../components/catalog/shards";

export { factsOf } from "./env-run";
export type { AccepterFact, EndpointFact, EndpointServiceFact, NetRecordLike } from "./env-run";

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
    /**
     * What a shard reads of its neighbours' outputs and what its own outputs
     * depend on, as the program declares it; without it a shard sees every
     * output of its neighbours and is re-planned on any change.
     */
    outputs?: OutputContract;
    /**
     * Per shard, the catalog entries its plan reads (components/catalog/shards.ts
     * `shardCatalogSlices`), as the program declares them; without it a
     * shard's cache key holds the whole catalog.
     */
    slices?: ReadonlyMap<string, { services: readonly string[]; shards: readonly string[] }>;
}

/** The program's declaration of what flows between shard stacks (components/catalog/shards.ts SHARD_OUTPUTS). */
export interface OutputContract {
    /** Output keys a consumer shard reads of its provider shard's stack. */
    consumerReads: readonly string[];
    /** Output keys a provider shard reads of its consumer shard's stack. */
    providerReads: readonly string[];
    /** The only read keys the stack's own outputs are computed from. */
    outputsDependOn: readonly string[];
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
    /**
     * Shards planned at once (./env-pool.ts): this thread plus `lanes - 1`
     * worker threads. Default 1. Workers load the project's own hooks
     * (./env-run.ts loadProjectHooks), so with more than one lane the hooks
     * given here must be those (as `npm run plan -- --env` passes them).
     */
    lanes?: number;
    /** Called after each run (in the order runs finish). */
    onShardPlanned?: (shard: string, info: { pass: number; mode: Mode; resources: number }) => void;
    /**
     * The cache of shard plans (./env-cache.ts): every final run, and each
     * shard's last `up` run, is written to it; `reuse` reads it.
     */
    cache?: PlanCache;
    /**
     * Plan only what a change can affect (`--changed`): the `touched` shards
     * are planned; every other shard starts from its last outputs in the
     * cache and is planned only when what it reads differs from what its
     * neighbours export now (transitively, as any run), or when the cache
     * has no entry for its exact inputs. Needs `cache`.
     */
    reuse?: { touched: ReadonlySet<string> };
}

/** The cache as the plan uses it: the store and each shard's static key (./env-cache.ts ShardKeys). */
export interface PlanCache {
    store: ShardCache;
    /** The shard's static key for runs in `mode`; `full`: a final run. */
    keyOf(shard: EnvShard, mode: Mode, full: boolean): string;
    /** What names the shard across keys (its project, environment and stack), for its latest outputs. */
    identityOf(shard: EnvShard): string;
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
    /** With `reuse`: the shards the change touched, the others planned (what they read changed, or no entry), and those taken from the cache. */
    reused?: { touched: string[]; replanned: string[]; cached: string[] };
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

/**
 * Returns a function that replaces, in place, every string inside a value by
 * the first equal string it saw: what a plan keeps of hundreds of shards
 * repeats the same URNs, rule texts and quota notes, each parsed or received
 * afresh.
 */
function interner(): (v: unknown) => void {
    const seen = new Map<string, string>();
    const intern = (v: unknown): void => {
        if (v === null || typeof v !== "object") return;
        const o = v as Record<string, unknown>;
        for (const k of Object.keys(o)) {
            const x = o[k];
            if (typeof x !== "string") intern(x);
            else if (!seen.has(x)) seen.set(x, x);
            else o[k] = seen.get(x);
        }
    };
    return intern;
}

function fingerprint(v: unknown): string {
    return createHash("sha256").update(JSON.stringify(v ?? null)).digest("hex");
}

function str(v: unknown): string | undefined {
    return typeof v === "string" ? v : undefined;
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
    const allStacks = model.shards.map(s => qualified(s.stack));
    /** Per shard: what each of its references read at its latest run. */
    const reads = new Map<string, Map<string, string>>();
    /** Per shard: the stacks it referenced at its latest run. */
    const referenced = new Map<string, string[]>();
    const outcomes = new Map<string, ShardOutcome>();
    const net = new Map<string, NetRecordLike[]>();
    const runs = new Map<string, number>();
    let totalRuns = 0;
    // The shards a shard shares a cross-shard edge with: what it reads, and what reads it.
    const neighbours = new Map(order.map(n => [n, new Set<string>()]));
    /** With the program's output contract: per shard, per neighbour stack, the output keys it reads. */
    const readKeys = new Map(order.map(n => [n, new Map<string, Set<string>>()]));
    const contract = model.outputs;
    for (const e of model.edges) {
        if (e.consumerShard === e.providerShard) continue;
        neighbours.get(e.consumerShard)?.add(e.providerShard);
        neighbours.get(e.providerShard)?.add(e.consumerShard);
        if (!contract || !byName.has(e.consumerShard) || !byName.has(e.providerShard)) continue;
        const add = (reader: string, other: string, keys: readonly string[]) => {
            const stack = qualified(byName.get(other)!.stack);
            const m = readKeys.get(reader)!;
            m.set(stack, new Set([...(m.get(stack) ?? []), ...keys]));
        };
        add(e.consumerShard, e.providerShard, contract.consumerReads);
        add(e.providerShard, e.consumerShard, contract.providerReads);
    }
    /**
     * What a shard reads of another stack's outputs: the keys the contract
     * gives it, else every output. A read is named `stack` (all of it) or
     * `stack#key`, and fingerprinted to tell when it changed.
     */
    const visible = (reader: string, stack: string): Record<string, unknown> | undefined => {
        const all = outputs.get(stack);
        const keys = readKeys.get(reader)?.get(stack);
        if (!all || !keys) return all;
        return Object.fromEntries(Object.entries(all).filter(([k]) => keys.has(k)));
    };
    const readsOf = (reader: string, stack: string): Array<[string, string]> => {
        const keys = readKeys.get(reader)?.get(stack);
        if (!keys) return [[stack, fingerprint(outputs.get(stack))]];
        return [...keys].sort().map(k => [`${stack}#${k}`, fingerprint(outputs.get(stack)?.[k])]);
    };

    // A shard whose account is still needsInput is planned as a fake account of its own.
    const accountOf = (s: EnvShard) => (s.accountNeedsInput ? fakeAccountFor(model.env, s.name) : undefined);
    const hooks: ShardHooks = { evaluatePolicies: options.evaluatePolicies, quotaReport: options.quotaReport, toNetRecords: options.toNetRecords };
    const intern = interner();
    const cache = options.cache;
    const reuse = options.cache ? options.reuse : undefined;
    if (options.reuse && !options.cache) throw new Error("planEnvironment: reuse needs a cache");
    /** Shards planned in this plan; those whose final run came from the cache; those whose last `up` run, planned now, may be cached. */
    const planned = new Set<string>();
    const fromCache = new Set<string>();
    const lastUp = new Set<string>();
    const pool = createShardPool({ projectDir, lanes: Math.min(options.lanes ?? 1, order.length), hooks });

    /**
     * What the shard may read now: its neighbours' latest outputs (and any
     * stack it referenced before), and the fingerprint of each read.
     */
    function readable(name: string): { stacks: Set<string>; reads: Map<string, string> } {
        const stacks = new Set([...neighbours.get(name)!].map(n => qualified(byName.get(n)!.stack)));
        for (const r of referenced.get(name) ?? []) stacks.add(r);
        return { stacks, reads: new Map([...stacks].flatMap(q => readsOf(name, q))) };
    }

    /** Keeps what the environment checks need of a shard's final run (planned now or taken from the cache). */
    function keep(shard: EnvShard, result: ShardRunResult): void {
        const stackConfig = model.stackConfigOf(shard);
        const accountId = accountOf(shard);
        const { roleAccount, ...facts } = result.facts;
        // Kept until the environment checks: identical strings (URNs, rule texts, quota
        // sources) kept once, not once per shard.
        intern(result);
        outcomes.set(shard.name, {
            name: shard.name,
            stack: shard.stack,
            account: roleAccount ?? accountId ?? ACCOUNT_ID,
            fakeAccount: accountId !== undefined || shard.fakeAccount === true,
            region: str(stackConfig["aws:region"]) ?? model.region,
            services: shard.services,
            runs: 0,
            resources: result.resources,
            violations: result.violations,
            quotas: result.quotas,
            needsInput: result.needsInput,
            ...(result.errors ? { errors: result.errors } : {}),
            ...facts,
        });
        if (result.net) net.set(shard.name, result.net);
        else net.delete(shard.name);
    }

    async function run(shard: EnvShard, runMode: Mode, pass: number, full: boolean): Promise<void> {
        const stack = qualified(shard.stack);
        // What the shard may read, as it stands when the shard starts.
        const { stacks: canRead, reads: readsAtStart } = readable(shard.name);
        // Every shard stack of the environment exists: the environment tooling
        // creates them all before wave 1 (tools/env/cli.ts `init`), so a shard
        // not deployed yet reads as `{}`, never as a stack that does not exist.
        const snapshot = allStacks.map(q => [q, (canRead.has(q) ? visible(shard.name, q) : undefined) ?? {}] as [string, Record<string, unknown>]);
        const stackConfig = model.stackConfigOf(shard);
        const accountId = accountOf(shard);
        const job: ShardJob = { projectDir, shard: shard.name, stack: shard.stack, mode: runMode, full, stackConfig, accountId, outputs: snapshot };
        const result = await pool.run(job);
        totalRuns++;
        runs.set(shard.name, (runs.get(shard.name) ?? 0) + 1);
        planned.add(shard.name);
        fromCache.delete(shard.name);
        const refs = result.facts.references.map(qualified);
        referenced.set(shard.name, refs);
        // What it read: for a stack it was not expected to read, the whole of it (none yet).
        const unexpected = refs.filter(q => !canRead.has(q)).map(q => [q, fingerprint(undefined)] as [string, string]);
        reads.set(shard.name, new Map([...[...readsAtStart].filter(([k]) => refs.includes(k.split("#")[0])), ...unexpected]));
        if (runMode === "up") {
            if (result.wire !== undefined) outputs.set(stack, result.wire);
            else outputs.delete(stack); // e.g. a catalog error: nothing exported (and no outputs shown from the cache)
        }
        // Cached only when the run read nothing but what its key holds (the stacks it was shown).
        const cacheable = cache !== undefined && !result.errors && unexpected.length === 0;
        if (runMode === "up") {
            if (cacheable && result.wire !== undefined) lastUp.add(shard.name);
            else lastUp.delete(shard.name);
        }
        if (cacheable && full) cache.store.saveResult(cache.keyOf(shard, runMode, true), [...readsAtStart], result);
        if (full) keep(shard, result);
        options.onShardPlanned?.(shard.name, { pass, mode: runMode, resources: result.resources });
    }

    /**
     * A shard's final run from the cache, found by its static key and what it
     * would read now (`reuse` only): true when found and kept.
     */
    function restore(shard: EnvShard, runMode: Mode): boolean {
        if (!cache || !reuse || reuse.touched.has(shard.name)) return false;
        const found = cache.store.result(cache.keyOf(shard, runMode, true), [...readable(shard.name).reads]);
        if (!found) return false;
        keep(shard, found);
        fromCache.add(shard.name);
        return true;
    }

    /**
     * One pass over `pending`, in that order as far as results go: a shard
     * starts once its neighbours before it in the pass are planned, so it
     * reads exactly what it would read were the pass run one shard after
     * another (its neighbours after it wait for it in turn); shards with no
     * such neighbour pending run side by side.
     */
    async function runPass(pending: string[], runMode: Mode, pass: number, full: boolean): Promise<void> {
        const position = new Map(pending.map((n, i) => [n, i]));
        const finished = new Map<string, Promise<void>>();
        for (const name of pending) {
            const before = [...neighbours.get(name)!].filter(n => (position.get(n) ?? Infinity) < position.get(name)!);
            finished.set(name, Promise.all(before.map(n => finished.get(n)!)).then(() => run(byName.get(name)!, runMode, pass, full)));
        }
        await Promise.all(finished.values());
    }

    const current = (read: string): string => {
        const [stack, key] = read.split("#");
        return fingerprint(key === undefined ? outputs.get(stack) : outputs.get(stack)?.[key]);
    };
    /**
     * Shards whose references read something other than the latest outputs.
     * `outputsOnly`: only reads the shard's own outputs depend on count (a
     * preview's converging runs are kept for their outputs alone).
     */
    const stale = (outputsOnly: boolean) => order.filter(n => [...(reads.get(n) ?? new Map<string, string>()).entries()].some(([read, seen]) => {
        if (outputsOnly && contract && read.includes("#") && !contract.outputsDependOn.includes(read.split("#")[1])) return false;
        return seen !== current(read);
    }));

    // Converge: in `up` every run is final until the shard is planned again;
    // in `preview` the converging runs are `up` runs kept for their outputs.
    const converging: Mode = "up";
    const full = mode === "up";
    // In a preview, a shard with no cross-shard edge neither reads nor is read
    // by another shard: it needs no converging `up` run, only its preview.
    const linked = new Set(model.edges.filter(e => e.consumerShard !== e.providerShard).flatMap(e => [e.consumerShard, e.providerShard]));
    let pending = full ? order : order.filter(n => linked.has(n));
    if (reuse && cache) {
        // A change: every shard the change does not touch starts from its last
        // `up` run in the cache, as if the environment were deployed as of then;
        // the touched shards, and those without an entry, are planned. From there
        // the passes run as always: a shard whose reads differ from what its
        // neighbours export now is planned again.
        const start = new Set<string>();
        for (const name of pending) {
            const shard = byName.get(name)!;
            const entry = reuse.touched.has(name) ? undefined : cache.store.outputs(cache.keyOf(shard, "up", false));
            if (entry) {
                reads.set(name, new Map(entry.reads));
                referenced.set(name, entry.references);
            } else {
                start.add(name);
            }
            // A shard planned anyway shows its latest outputs until its run replaces them (pass 1).
            const shown = entry ?? cache.store.latestOutputs(cache.identityOf(shard));
            if (shown) outputs.set(qualified(shard.stack), shown.wire);
        }
        const changed = new Set([...start, ...stale(!full)]);
        pending = order.filter(n => changed.has(n));
    }
    // Starting from the cache, a missing final result may take one pass more.
    const maxPasses = reuse ? MAX_PASSES + 1 : MAX_PASSES;
    let pass = 0;
    try {
        for (;;) {
            while (pending.length > 0) {
                pass++;
                if (pass > maxPasses) {
                    throw new EnvironmentConvergenceError(`the shards' outputs did not settle after ${maxPasses} passes (still changing: ${pending.join(", ")}): a shard's outputs depend on what it reads of itself`);
                }
                await runPass(pending, converging, pass, full);
                // In `up` every run is final, so any changed read is planned again; in a
                // preview only what changes a shard's outputs (its preview reads the rest).
                pending = stale(!full);
            }
            // In `up`, a shard not planned now keeps the final run the cache holds for
            // what it reads; without one it is planned (and may change what others read).
            if (!full || !reuse) break;
            pending = order.filter(n => !outcomes.has(n) && !restore(byName.get(n)!, "up"));
            if (pending.length === 0) break;
        }
        if (mode === "preview") {
            // Every shard reads converged outputs: nothing to wait for.
            await Promise.all(order.map(name => (restore(byName.get(name)!, "preview") ? undefined : run(byName.get(name)!, "preview", pass + 1, true))));
        }
    } finally {
        await pool.close();
    }
    if (cache) {
        // Each shard's last `up` run: the outputs its neighbours read, and what it read.
        for (const name of order.filter(n => lastUp.has(n))) {
            const stack = qualified(byName.get(name)!.stack);
            cache.store.saveOutputs(cache.keyOf(byName.get(name)!, "up", false), {
                wire: outputs.get(stack)!,
                reads: [...(reads.get(name) ?? [])],
                references: referenced.get(name) ?? [],
            }, cache.identityOf(byName.get(name)!));
        }
    }
    for (const [name, o] of outcomes) o.runs = runs.get(name) ?? 0;
    return {
        env: model.env,
        mode,
        shards: order.map(n => outcomes.get(n)!).filter(Boolean),
        // In plan order, whatever order the runs finished in.
        outputs: new Map(order.map(n => qualified(byName.get(n)!.stack)).filter(q => outputs.has(q)).map(q => [q, outputs.get(q)!])),
        netRecords: order.flatMap(n => net.get(n) ?? []),
        passes: pass,
        runs: totalRuns,
        ...(reuse ? {
            reused: {
                touched: order.filter(n => reuse.touched.has(n)),
                replanned: order.filter(n => planned.has(n) && !reuse.touched.has(n)),
                cached: order.filter(n => fromCache.has(n)),
            },
        } : {}),
    };
}

/** Display form of a shard's converged outputs (for JSON output). */
export function displayOutputs(plan: EnvironmentPlan): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of plan.outputs) out[k] = display(v);
    return out;
}

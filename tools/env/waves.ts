/**
 * The wave planner: in which order the shard stacks of one environment run
 * `pulumi up` so that every cross-shard PrivateLink edge ends up wired and
 * accepted. A pure function of the shards, their cross-shard edges, which
 * shards are already deployed and which ones a change touches. No Pulumi, no
 * I/O: `tools/env/cli.ts` runs the plan through the Automation API, and
 * docs/scale.md explains it with the A <-> B example.
 *
 * The model (what one `pulumi up` of a shard can do; docs/scale.md, "The waves"):
 * - A consumer shard reads a provider shard's endpoint service name, id and
 *   zone ids through a StackReference, which returns the provider stack's last
 *   DEPLOYED outputs. Before the provider's first `up` completes, the consumer
 *   skips that edge (with a warning) instead of failing.
 * - A provider shard accepts the endpoints its declared consumers exported
 *   (`endpoints["<consumer>-><provider>"]`), again read from their last
 *   deployed outputs.
 * - Shards in one wave run concurrently, so a shard may only rely on outputs
 *   of runs in EARLIER waves.
 * - A run of a shard the change touches may replace its endpoint services and
 *   its endpoints (conservative: the planner does not look inside the diff).
 * - A provider admits its consumers' accounts from the catalog. A change that
 *   adds an edge or moves a consumer touches the provider too (tools/env/matrix.ts),
 *   and a consumer skips an edge its provider does not admit yet, exactly as
 *   one whose provider has no outputs (docs/scale.md, "A new edge").
 *
 * Hence, for one edge c -> p: p's endpoint service must be deployed in a wave
 * before the wave in which c creates its endpoint, which must come before the
 * wave in which p accepts it. Three distinct waves are therefore NECESSARY as
 * soon as one cross-shard edge is new, and the plan below shows they are
 * SUFFICIENT for any graph, cycles included: the bound is exact.
 *
 * Let T be the shards to apply (touched, plus every shard not yet deployed),
 * prov(s) the shards consuming s across shards and cons(s) the shards s consumes.
 * - D, deferred: s in T with no cross-shard consumer (nobody reads its
 *   endpoint services) and a provider in T. Its first run waits for wave 2,
 *   when every provider it needs has outputs: one run instead of two.
 * - wave 1 = T \ D: apply; new endpoint services become readable.
 * - wave 2 = D, every shard consuming a shard of wave 1 (re-read the new
 *   names and create or replace the endpoints), and every untouched provider
 *   whose consumer ran in wave 1 (accept those endpoints) unless it runs in
 *   wave 3 anyway.
 * - wave 3 = every shard of wave 1 with cross-shard consumers, and every
 *   provider of a deferred shard: accept the endpoints created in wave 2.
 * Nothing in wave 3 changes an output another shard reads, so the
 * environment has converged after it.
 */
import { edgeName } from "../../policies/lib/declared-edges";

/** A shard as the planner needs it (a subset of components/catalog/shards.ts `Shard`). */
export interface WaveShard {
    name: string;
    /** Its Pulumi stack (`<env>.<shard>`). */
    stack: string;
}

/** A `consumes` edge between services of two different shards (components/catalog/shards.ts `CrossShardEdge`). */
export interface WaveEdge {
    consumer: string;
    provider: string;
    consumerShard: string;
    providerShard: string;
}

export interface WaveInput {
    shards: readonly WaveShard[];
    edges: readonly WaveEdge[];
}

export interface PlanOptions {
    /** Shards whose stack already has deployed outputs. Default: none (a first deployment). */
    deployed?: Iterable<string>;
    /** Shards the change touches (their stack file, their services' catalog entries, shared code). Default: all. */
    touched?: Iterable<string>;
}

/** What one `pulumi up` of a shard does for the environment, beyond keeping what it has. */
export type Step =
    /** Applies the shard's own change: its services, VPCs, workloads, in-shard wiring. */
    | { kind: "apply" }
    /** Creates or updates the endpoint services other shards consume (their names become readable after this wave). */
    | { kind: "endpoint-services"; services: string[] }
    /** Creates (or re-points) interface endpoints to providers in other shards, and exports their ids. */
    | { kind: "endpoints"; edges: string[] }
    /** Edges whose provider has no deployed outputs yet: skipped with a warning, created in a later wave. */
    | { kind: "skip-endpoints"; edges: string[] }
    /** Accepts the endpoints of declared consumers in other shards, read from their outputs. */
    | { kind: "accept"; edges: string[] };

export interface ShardRun {
    shard: string;
    stack: string;
    wave: number;
    does: Step[];
}

export interface WavePlan {
    /** waves[i] are the runs of wave i + 1, sorted by shard name; every run of a wave may run concurrently. */
    waves: ShardRun[][];
    /** Shards applied by the plan (touched or not yet deployed). */
    applied: string[];
    /** Shards that run only because they depend on an applied shard (consumers re-reading, providers accepting). */
    dependents: string[];
}

/** Checks the input; every problem at once. */
export function checkWaveInput(input: WaveInput, options: PlanOptions = {}): string[] {
    const problems: string[] = [];
    const names = new Set<string>();
    for (const s of input.shards) {
        if (names.has(s.name)) problems.push(`shard ${JSON.stringify(s.name)} is listed twice`);
        names.add(s.name);
    }
    input.edges.forEach((e, i) => {
        for (const end of ["consumerShard", "providerShard"] as const) {
            if (!names.has(e[end])) {
                problems.push(`edges[${i}].${end}: ${JSON.stringify(e[end])} (${edgeName(e)}) is not a shard; known: ${[...names].join(", ")}`);
            }
        }
    });
    for (const [field, list] of [["deployed", options.deployed], ["touched", options.touched]] as const) {
        for (const s of list ?? []) {
            if (!names.has(s)) problems.push(`${field}: ${JSON.stringify(s)} is not a shard`);
        }
    }
    return problems;
}

/**
 * Plans the waves that converge the environment: a first deployment (no
 * `deployed`), or a change (`deployed` = every shard, `touched` = the shards
 * the change touches). At most 3 waves, for any graph.
 */
export function planWaves(input: WaveInput, options: PlanOptions = {}): WavePlan {
    const problems = checkWaveInput(input, options);
    if (problems.length > 0) throw new Error(`invalid wave input:\n  ${problems.join("\n  ")}`);

    const shards = [...input.shards].sort((a, b) => a.name.localeCompare(b.name));
    const edges = input.edges.filter(e => e.consumerShard !== e.providerShard);
    const deployed = new Set(options.deployed ?? []);
    const touched = new Set(options.touched ?? shards.map(s => s.name));

    const cons = new Map<string, Set<string>>(shards.map(s => [s.name, new Set()]));
    const prov = new Map<string, Set<string>>(shards.map(s => [s.name, new Set()]));
    for (const e of edges) {
        cons.get(e.consumerShard)!.add(e.providerShard);
        prov.get(e.providerShard)!.add(e.consumerShard);
    }
    const some = (set: Set<string>, pred: (s: string) => boolean) => [...set].some(pred);

    const T = new Set(shards.map(s => s.name).filter(s => touched.has(s) || !deployed.has(s)));
    const D = new Set([...T].filter(s => prov.get(s)!.size === 0 && some(cons.get(s)!, p => T.has(p))));
    const W1 = new Set([...T].filter(s => !D.has(s)));
    const W3 = new Set(shards.map(s => s.name).filter(s =>
        (W1.has(s) && prov.get(s)!.size > 0) || some(prov.get(s)!, c => D.has(c))));
    const W2 = new Set(shards.map(s => s.name).filter(s =>
        D.has(s)
        || some(cons.get(s)!, p => W1.has(p))
        || (!T.has(s) && !W3.has(s) && some(prov.get(s)!, c => W1.has(c)))));

    // The steps of each run, from what earlier waves made readable.
    const waveSets = [W1, W2, W3];
    const hasOutputs = new Set(deployed); // shards whose outputs a run can read (end of the previous wave)
    const freshEndpoint = new Map<string, number>(); // edge -> wave in which its endpoint was (re)created
    const acceptedAt = new Map<string, number>();
    const appliedAt = new Map<string, number>();
    const waves: ShardRun[][] = [];
    waveSets.forEach((set, i) => {
        const wave = i + 1;
        const runs: ShardRun[] = [];
        for (const shard of shards.filter(s => set.has(s.name))) {
            const does: Step[] = [];
            const applying = T.has(shard.name) && !appliedAt.has(shard.name);
            if (applying) {
                does.push({ kind: "apply" });
                appliedAt.set(shard.name, wave);
                const provided = [...new Set(edges.filter(e => e.providerShard === shard.name).map(e => e.provider))].sort();
                if (provided.length > 0) does.push({ kind: "endpoint-services", services: provided });
            }
            const made: string[] = [];
            const skipped: string[] = [];
            for (const e of edges.filter(e => e.consumerShard === shard.name)) {
                const key = edgeName(e);
                const providerChanged = appliedAt.has(e.providerShard) && appliedAt.get(e.providerShard)! < wave
                    && (freshEndpoint.get(key) ?? 0) <= appliedAt.get(e.providerShard)!;
                if (!hasOutputs.has(e.providerShard)) {
                    skipped.push(key);
                } else if (applying || providerChanged) {
                    made.push(key);
                }
            }
            if (made.length > 0) does.push({ kind: "endpoints", edges: made.sort() });
            if (skipped.length > 0) does.push({ kind: "skip-endpoints", edges: skipped.sort() });
            const accepts = edges
                .filter(e => e.providerShard === shard.name)
                .map(e => edgeName(e))
                .filter(key => {
                    // An endpoint made before (or while) this provider replaced its service points at the old one: not accepted.
                    const fresh = freshEndpoint.get(key);
                    return fresh !== undefined && fresh < wave && fresh > (appliedAt.get(shard.name) ?? 0)
                        && (acceptedAt.get(key) ?? 0) <= fresh;
                })
                .sort();
            if (accepts.length > 0) does.push({ kind: "accept", edges: accepts });
            runs.push({ shard: shard.name, stack: shard.stack, wave, does });
        }
        for (const run of runs) {
            hasOutputs.add(run.shard);
            for (const step of run.does) {
                if (step.kind === "endpoints") for (const k of step.edges) freshEndpoint.set(k, wave);
                if (step.kind === "accept") for (const k of step.edges) acceptedAt.set(k, wave);
            }
        }
        if (runs.length > 0) waves.push(runs);
    });
    // Renumber when an empty wave was dropped (e.g. a change with no cross-shard edges).
    waves.forEach((runs, i) => runs.forEach(r => { r.wave = i + 1; }));

    const ran = new Set(waves.flat().map(r => r.shard));
    return {
        waves,
        applied: [...T].sort(),
        dependents: [...ran].filter(s => !T.has(s)).sort(),
    };
}

/** A first deployment of every shard. */
export function firstDeployment(input: WaveInput): WavePlan {
    return planWaves(input, { deployed: [], touched: input.shards.map(s => s.name) });
}

/** A change to `touched` in an environment whose shards are all deployed. */
export function changeWaves(input: WaveInput, touched: Iterable<string>): WavePlan {
    return planWaves(input, { deployed: input.shards.map(s => s.name), touched });
}

/** One line per run, for logs and docs: `wave 2: dev.b (endpoints a->x)`. */
export function describePlan(plan: WavePlan): string[] {
    const step = (s: Step): string => {
        switch (s.kind) {
            case "apply": return "apply";
            case "endpoint-services": return `endpoint services ${s.services.join(", ")}`;
            case "endpoints": return `endpoints ${s.edges.join(", ")}`;
            case "skip-endpoints": return `skip ${s.edges.join(", ")} (provider not deployed yet)`;
            case "accept": return `accept ${s.edges.join(", ")}`;
        }
    };
    return plan.waves.flatMap(runs => runs.map(r => `wave ${r.wave}: ${r.stack} (${r.does.map(step).join("; ") || "refresh"})`));
}

/**
 * Runs the plan: every run of a wave through `run`, at most `parallel` at a
 * time, and a wave only after the whole previous wave succeeded (a later wave
 * reads the earlier one's outputs). The first failure stops the plan after
 * the runs already started settle; its error is rethrown.
 */
export async function runWaves<R>(
    plan: WavePlan,
    run: (r: ShardRun) => Promise<R>,
    parallel: number,
): Promise<R[]> {
    if (!Number.isInteger(parallel) || parallel < 1) throw new Error(`parallel must be a positive integer, got ${parallel}`);
    const results: R[] = [];
    for (const runs of plan.waves) {
        results.push(...await mapLimited(runs, run, parallel));
    }
    return results;
}

/** Maps with at most `limit` promises pending; stops starting new ones after a failure. */
export async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, limit: number): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
        while (failure === undefined && next < items.length) {
            const i = next++;
            try {
                results[i] = await fn(items[i]);
            } catch (error) {
                failure ??= { error };
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    if (failure) throw failure.error;
    return results;
}

import { strict as assert } from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { BenchService, syntheticQuotas, syntheticServices } from "../../tools/bench/catalog";
import { affectedShards } from "../../tools/env/affected";
import { EnvironmentModel, EnvironmentPlan, EnvShard, PlanCache, planEnvironment } from "../../tools/preview/env";
import { NOT_PLAN_INPUTS, planCache, ShardCache } from "../../tools/preview/env-cache";
import { environmentChecks, environmentJson } from "../../tools/preview/env-cli";
import { environmentModel } from "../../tools/preview/env-model";
import { loadProjectHooks } from "../../tools/preview/env-run";
import { Mode } from "../../tools/preview/monitor";
import { loadEnvironment } from "../../components/catalog/environment";

const ROOT = path.resolve(__dirname, "..", "..");
const NS = "privatelink-platform";

interface Shard {
    name: string;
    services: string[];
}

interface Catalog {
    services: BenchService[];
    shards: Shard[];
    logRetentionDays: number;
}

/**
 * The base: 60 synthetic Fargate services (tools/bench/catalog.ts, a random
 * consumes graph from a fixed seed) in 50 shards, ten of them a team's two
 * services, five of those with one consuming the other.
 */
function baseCatalog(): Catalog {
    const services = syntheticServices(60, 20261207);
    const shards: Shard[] = [];
    for (let i = 0; i < 10; i++) {
        const [a, b] = [services[2 * i], services[2 * i + 1]];
        if (i % 2 === 0 && !a.consumes.includes(b.name)) a.consumes = [...a.consumes, b.name].sort();
        shards.push({ name: `team-${i}`, services: [a.name, b.name] });
    }
    for (const s of services.slice(20)) shards.push({ name: s.name, services: [s.name] });
    return { services, shards, logRetentionDays: 30 };
}

function stackFile(c: Catalog): string {
    return YAML.stringify({
        config: {
            "aws:region": "us-east-1",
            [`${NS}:platform`]: { availabilityZones: 2, logRetentionDays: c.logRetentionDays, quotas: syntheticQuotas(80) },
            [`${NS}:services`]: c.services,
            [`${NS}:shards`]: c.shards,
        },
    });
}

/** A catalog edit, by indexes the edit maps onto whatever the catalog holds. */
type Edit =
    | { kind: "port"; svc: number; port: number }
    | { kind: "image"; svc: number; tag: string }
    | { kind: "scaling"; svc: number; max: number; cpuTarget: number }
    | { kind: "edge-within"; shard: number }
    | { kind: "edge-across"; consumer: number; provider: number }
    | { kind: "unedge"; svc: number; within: boolean }
    | { kind: "move"; svc: number; to: number }
    | { kind: "new-service"; consumes: number[]; consumedBy: number | null; shard: number | null }
    | { kind: "platform"; days: number }
    | { kind: "source" };

const pick = <T>(xs: T[], i: number): T | undefined => (xs.length === 0 ? undefined : xs[i % xs.length]);

/** Applies an edit to a copy of the catalog; returns it and what was done (for a failure's message). */
function apply(c: Catalog, edit: Edit): { catalog: Catalog; did: string } {
    const next: Catalog = JSON.parse(JSON.stringify(c));
    const { services, shards } = next;
    const shardOf = (svc: string) => shards.find(s => s.services.includes(svc))!;
    const byName = (n: string) => services.find(s => s.name === n)!;
    switch (edit.kind) {
        case "port": {
            const s = pick(services, edit.svc)!;
            s.port = edit.port;
            return { catalog: next, did: `${s.name}.port = ${edit.port}` };
        }
        case "image": {
            const s = pick(services, edit.svc)!;
            s.image = edit.tag;
            return { catalog: next, did: `${s.name}.image = ${edit.tag}` };
        }
        case "scaling": {
            const s = pick(services, edit.svc)!;
            s.scaling = { min: 1, max: edit.max, cpuTarget: edit.cpuTarget };
            return { catalog: next, did: `${s.name}.scaling = ${JSON.stringify(s.scaling)}` };
        }
        case "edge-within": {
            const shard = pick(shards.filter(s => s.services.length > 1), edit.shard);
            const pair = shard?.services.flatMap(a => shard.services.filter(b => b !== a && !byName(a).consumes.includes(b)).map(b => [a, b]))[0];
            if (!pair) return { catalog: next, did: "no edge to add within a shard" };
            byName(pair[0]).consumes = [...byName(pair[0]).consumes, pair[1]].sort();
            return { catalog: next, did: `${pair[0]} consumes ${pair[1]} (shard ${shard!.name})` };
        }
        case "edge-across": {
            const consumer = pick(services, edit.consumer)!;
            const provider = pick(services.filter(p => shardOf(p.name) !== shardOf(consumer.name) && !consumer.consumes.includes(p.name)), edit.provider);
            if (!provider) return { catalog: next, did: "no edge to add across shards" };
            consumer.consumes = [...consumer.consumes, provider.name].sort();
            return { catalog: next, did: `${consumer.name} consumes ${provider.name} (across shards)` };
        }
        case "unedge": {
            const same = (a: string, b: string) => shardOf(a) === shardOf(b);
            const consumer = pick(services.filter(s => s.consumes.some(p => same(s.name, p) === edit.within)), edit.svc);
            if (!consumer) return { catalog: next, did: `no edge to remove ${edit.within ? "within a shard" : "across shards"}` };
            const gone = consumer.consumes.find(p => same(consumer.name, p) === edit.within)!;
            consumer.consumes = consumer.consumes.filter(p => p !== gone);
            return { catalog: next, did: `${consumer.name} no longer consumes ${gone}` };
        }
        case "move": {
            const s = pick(services.filter(x => shardOf(x.name).services.length > 1), edit.svc);
            if (!s) return { catalog: next, did: "no service to move" };
            const from = shardOf(s.name);
            let to = pick(shards, edit.to)!;
            if (to === from) {
                to = { name: `moved-${s.name}`, services: [] };
                shards.push(to);
            }
            from.services = from.services.filter(x => x !== s.name);
            to.services.push(s.name);
            return { catalog: next, did: `${s.name} moved from shard ${from.name} to ${to.name}` };
        }
        case "new-service": {
            const name = `svc-new-${services.filter(s => s.name.startsWith("svc-new-")).length}`;
            const consumes = [...new Set(edit.consumes.map(i => pick(services, i)!.name))].sort();
            services.push({ name, runtime: "fargate", port: 7000 + services.length, consumes, scaling: { min: 1, max: 4, cpuTarget: 60 }, image: "1.0.0" });
            const consumer = edit.consumedBy === null ? undefined : pick(services.filter(s => s.name !== name), edit.consumedBy);
            if (consumer) consumer.consumes = [...consumer.consumes, name].sort();
            const shard = edit.shard === null ? undefined : pick(shards, edit.shard);
            if (shard) shard.services.push(name);
            else shards.push({ name, services: [name] });
            return { catalog: next, did: `new service ${name} consuming [${consumes.join(", ")}]${consumer ? `, consumed by ${consumer.name}` : ""}, in shard ${shard?.name ?? name}` };
        }
        case "platform":
            next.logRetentionDays = edit.days;
            return { catalog: next, did: `platform.logRetentionDays = ${edit.days}` };
        case "source":
            return { catalog: next, did: "a program source file changed" };
    }
}

const localEdit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ kind: fc.constant("port" as const), svc: fc.nat(), port: fc.integer({ min: 1024, max: 65535 }) }),
    fc.record({ kind: fc.constant("image" as const), svc: fc.nat(), tag: fc.constantFrom("1.0.1", "1.1.0", "2.0.0") }),
    fc.record({ kind: fc.constant("scaling" as const), svc: fc.nat(), max: fc.integer({ min: 2, max: 6 }), cpuTarget: fc.integer({ min: 20, max: 80 }) }),
    fc.record({ kind: fc.constant("edge-within" as const), shard: fc.nat() }),
    fc.record({ kind: fc.constant("edge-across" as const), consumer: fc.nat(), provider: fc.nat() }),
    fc.record({ kind: fc.constant("unedge" as const), svc: fc.nat(), within: fc.boolean() }),
    fc.record({ kind: fc.constant("move" as const), svc: fc.nat(), to: fc.nat() }),
    fc.record({
        kind: fc.constant("new-service" as const),
        consumes: fc.array(fc.nat(), { maxLength: 2 }),
        consumedBy: fc.option(fc.nat(), { nil: null }),
        shard: fc.option(fc.nat(), { nil: null }),
    }),
);
/** One to three local edits, or one edit that touches every shard (a platform setting, a program source file). */
const edits: fc.Arbitrary<Edit[]> = fc.oneof(
    { weight: 4, arbitrary: fc.array(localEdit, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: fc.oneof(fc.record({ kind: fc.constant("platform" as const), days: fc.constantFrom(60, 90, 365) }), fc.constant<Edit>({ kind: "source" })).map(e => [e]) },
);

/** Everything a plan says but how many runs it took: the document `--json` prints, and the reachability records. */
function judged(model: EnvironmentModel, plan: EnvironmentPlan): { document: string; net: string } {
    const doc = environmentJson(plan, environmentChecks(ROOT, model, plan)) as Record<string, unknown> & { shards: Array<Record<string, unknown>> };
    delete doc.runs;
    delete doc.passes;
    for (const s of doc.shards) delete s.runs;
    const plain = (_k: string, v: unknown) => (typeof v === "symbol" ? `symbol:${Symbol.keyFor(v)}` : v);
    return { document: JSON.stringify(doc, plain, 1), net: JSON.stringify(plan.netRecords, plain) };
}

/** Runs `fn` with the program's log (console) held back: the plans' warnings of edges waiting for a wave are expected here. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
    const saved = { warn: console.warn, log: console.log, error: console.error };
    const drop = () => undefined;
    Object.assign(console, { warn: drop, log: drop, error: drop });
    try {
        return await fn();
    } finally {
        Object.assign(console, saved);
    }
}

/** Where two JSON texts first differ, with some context. */
function firstDifference(a: string, b: string): string {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return `full plan: …${a.slice(Math.max(0, i - 300), i + 200)}…\n--changed: …${b.slice(Math.max(0, i - 300), i + 200)}…`;
}

describe("the offline plan of a change (--changed): exactly what the full environment plan finds", function () {
    this.timeout(3_600_000);
    const hooks = loadProjectHooks(ROOT);
    const mode: Mode = "preview";
    let dir: string;
    let cacheDir: string;
    let baseText: string;
    /** Per shard, the last final run the warm-up saved: what a cache that trusts a stale entry would hand back. */
    const lastSaved = new Map<string, { key: string; reads: Array<readonly [string, string]> }>();
    let runs = 0;

    /** A cache that notes which shard each key is for and, per shard, the last final run saved. */
    function recording(model: EnvironmentModel, store: ShardCache): PlanCache {
        const honest = planCache(ROOT, model, store.dir);
        const shardOfKey = new Map<string, string>();
        const recorder = Object.assign(Object.create(store) as ShardCache, {
            saveResult(key: string, reads: Array<readonly [string, string]>, result: Parameters<ShardCache["saveResult"]>[2]) {
                lastSaved.set(shardOfKey.get(key)!, { key, reads });
                store.saveResult(key, reads, result);
            },
        });
        return {
            store: recorder,
            identityOf: honest.identityOf,
            keyOf: (shard: EnvShard, m: Mode, full: boolean) => {
                const k = honest.keyOf(shard, m, full);
                shardOfKey.set(k, shard.name);
                return k;
            },
        };
    }

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-changed-"));
        cacheDir = path.join(dir, "cache");
        baseText = stackFile(baseCatalog());
        const file = path.join(dir, "Pulumi.base.yaml");
        fs.writeFileSync(file, baseText);
        // The warm cache: the base planned in full once (as CI does on main), reused by every case below.
        const model = environmentModel(ROOT, "bench", file);
        await quietly(() => planEnvironment({ projectDir: ROOT, model, mode, ...hooks, cache: recording(model, new ShardCache(cacheDir)) }));
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /**
     * Plans the edited catalog in full, and as `--changed` from the base with
     * the warm cache (the touched shards chosen as `npm run plan -- --changed`
     * chooses them, tools/env/affected.ts); `through` may wrap the cache.
     */
    async function bothWays(list: Edit[], through: (model: EnvironmentModel, cache: PlanCache) => PlanCache = (_m, c) => c) {
        let catalog = baseCatalog();
        const did: string[] = [];
        for (const e of list) {
            const r = apply(catalog, e);
            catalog = r.catalog;
            did.push(r.did);
        }
        const file = path.join(dir, `Pulumi.head-${++runs}.yaml`);
        fs.writeFileSync(file, stackFile(catalog));
        const model = environmentModel(ROOT, "bench", file);
        const full = await quietly(() => planEnvironment({ projectDir: ROOT, model, mode, ...hooks }));
        const source = list.some(e => e.kind === "source");
        const change = { changed: [file, ...(source ? ["components/platform.ts"] : [])], readBase: (f: string) => (f === file ? baseText : undefined) };
        const selection = affectedShards(ROOT, loadEnvironment(ROOT, "bench", file), change, { ignore: NOT_PLAN_INPUTS, envFile: file });
        // A changed program source is simulated by a changed digest of the shared sources (a key input).
        const cache = planCache(ROOT, model, cacheDir, source ? `sources changed in run ${runs}` : undefined);
        const changed = await quietly(() => planEnvironment({
            projectDir: ROOT, model, mode, ...hooks,
            cache: through(model, cache),
            reuse: { touched: new Set(selection.touched) },
        }));
        return { did, model, full, changed, selection };
    }

    it("random edits (fast-check): the same findings, outputs and reachability as the full plan, planning fewer shards for a local edit", async () => {
        await fc.assert(fc.asyncProperty(edits, async list => {
            const { did, model, full, changed, selection } = await bothWays(list);
            const [a, b] = [judged(model, full), judged(model, changed)];
            const what = `edits: ${did.join("; ")}; touched ${selection.touched.join(", ")}; planned again ${changed.reused!.replanned.join(", ")}`;
            if (a.document !== b.document) assert.fail(`${what}\n${firstDifference(a.document, b.document)}`);
            if (a.net !== b.net) assert.fail(`${what}: the reachability records differ\n${firstDifference(a.net, b.net)}`);
            const everywhere = list.some(e => e.kind === "platform" || e.kind === "source");
            assert.equal(changed.reused!.cached.length === 0, everywhere, `${what}; from the cache: ${changed.reused!.cached.length} of ${model.shards.length}`);
        }), { numRuns: 4, endOnFailure: true });
    });

    it("fails on a cache that trusts a stale entry: a consumer's plan from before its provider's port changed", async () => {
        const base = baseCatalog();
        const shardOf = (svc: string) => base.shards.find(s => s.services.includes(svc))!.name;
        // A provider with a consumer in another shard: the consumer's security group opens the provider's port.
        const edge = base.services.flatMap(c => c.consumes.map(p => ({ consumer: c.name, provider: p }))).find(e => shardOf(e.consumer) !== shardOf(e.provider))!;
        // A store that, without an entry for a shard's final run, hands back the last one saved for that shard, whatever its key.
        const stale = (model: EnvironmentModel, cache: PlanCache): PlanCache => {
            const shardOfKey = new Map(model.shards.map(s => [cache.keyOf(s, mode, true), s.name]));
            const store = Object.assign(Object.create(cache.store) as ShardCache, {
                result(key: string, reads: ReadonlyArray<readonly [string, string]>) {
                    const last = lastSaved.get(shardOfKey.get(key) ?? "");
                    return cache.store.result(key, reads) ?? (last ? cache.store.result(last.key, last.reads) : undefined);
                },
            });
            return { ...cache, store };
        };
        const port = { kind: "port" as const, svc: base.services.findIndex(s => s.name === edge.provider), port: 9443 };
        const run = await bothWays([port], stale);
        assert.ok(run.changed.reused!.cached.includes(shardOf(edge.consumer)), `${edge.consumer}'s shard came from the stale store`);
        const [a, b] = [judged(run.model, run.full), judged(run.model, run.changed)];
        assert.notEqual(b.document, a.document, "trusting the consumer's stale plan must not pass for the full plan");
        // Its records still open the old port: the reachability over the union sees the edge blocked.
        assert.notEqual(b.net, a.net, "the consumer's reachability records differ");
        // The full plan finds the edge wired; the stale plan finds it blocked at the consumer's security group (the old port).
        const blocked = (doc: string) => (JSON.parse(doc) as { checks: { findings: Array<{ enforcementLevel: string; message: string }> } }).checks.findings
            .filter(f => f.enforcementLevel === "mandatory" && f.message.startsWith(`declared edge ${edge.consumer}->${edge.provider} does not reach`));
        assert.deepEqual(blocked(a.document), [], "the full plan: the edge reaches");
        assert.equal(blocked(b.document).length, 1, `the stale plan: the edge ${edge.consumer}->${edge.provider} is blocked`);
        assert.match(blocked(b.document)[0].message, /no egress on 9443/);
    });
});

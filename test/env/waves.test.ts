import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import {
    changeWaves, describePlan, firstDeployment, mapLimited, planWaves, runWaves,
    ShardRun, WaveEdge, WaveInput, WavePlan,
} from "../../tools/env/waves";
import { edgeName } from "../../policies/lib/declared-edges";

/**
 * An independent model of what `pulumi up` of a shard does across shards
 * (docs/scale.md, "The waves"), used to check the planner's plans:
 * - a run reads other shards' outputs as they were at the end of the
 *   previous wave (StackReference reads the last deployed outputs; runs of
 *   one wave are concurrent);
 * - the first run of an applied shard (touched or never deployed) replaces
 *   its endpoint services and endpoints (a new version / id);
 * - a consumer keeps its endpoint while the provider's service is the one it
 *   was made for, makes a new one otherwise, and skips an edge whose provider
 *   has no outputs;
 * - a provider accepts the endpoint a consumer exports if it was made for
 *   the provider's current endpoint service.
 */
interface Endpoint { id: number; forSvc: number }
interface Outputs { svc: number; endpoints: Map<string, Endpoint> }
interface Events { made: Map<string, number>; skipped: Map<string, number>; accepted: Map<string, number> }

function simulate(input: WaveInput, deployed: Set<string>, touched: Set<string>, waves: string[][]) {
    let nextId = 1;
    const outputs = new Map<string, Outputs>();
    const accepted = new Map<string, string>(); // edge -> `${endpointId}@${svc}`
    for (const s of input.shards) if (deployed.has(s.name)) outputs.set(s.name, { svc: nextId++, endpoints: new Map() });
    for (const e of input.edges) {
        const c = outputs.get(e.consumerShard);
        const p = outputs.get(e.providerShard);
        if (c && p) {
            const ep = { id: nextId++, forSvc: p.svc };
            c.endpoints.set(edgeName(e), ep);
            accepted.set(edgeName(e), `${ep.id}@${p.svc}`);
        }
    }
    const applyTo = new Set(input.shards.map(s => s.name).filter(s => touched.has(s) || !deployed.has(s)));
    const applied = new Set<string>();
    const events: Events[] = []; // per wave
    for (const wave of waves) {
        const snapshot = new Map([...outputs].map(([k, v]) => [k, { svc: v.svc, endpoints: new Map(v.endpoints) }]));
        const ev: Events = { made: new Map(), skipped: new Map(), accepted: new Map() };
        const next = new Map<string, Outputs>();
        for (const shard of wave) {
            const prev = snapshot.get(shard);
            const applying = applyTo.has(shard) && !applied.has(shard);
            assert.ok(applying || prev, `${shard} runs before it was ever applied`);
            if (applying) applied.add(shard);
            const svc = applying ? nextId++ : prev!.svc;
            const endpoints = new Map<string, Endpoint>();
            for (const e of input.edges.filter(e => e.consumerShard === shard && e.providerShard !== shard)) {
                const key = edgeName(e);
                const p = snapshot.get(e.providerShard);
                if (!p) { ev.skipped.set(key, 1); continue; }
                const old = prev?.endpoints.get(key);
                if (!applying && old && old.forSvc === p.svc) {
                    endpoints.set(key, old);
                } else {
                    endpoints.set(key, { id: nextId++, forSvc: p.svc });
                    ev.made.set(key, 1);
                }
            }
            for (const e of input.edges.filter(e => e.providerShard === shard && e.consumerShard !== shard)) {
                const key = edgeName(e);
                const ep = snapshot.get(e.consumerShard)?.endpoints.get(key);
                if (ep && ep.forSvc === svc && accepted.get(key) !== `${ep.id}@${svc}`) {
                    accepted.set(key, `${ep.id}@${svc}`);
                    ev.accepted.set(key, 1);
                }
            }
            next.set(shard, { svc, endpoints });
        }
        for (const [k, v] of next) outputs.set(k, v);
        events.push(ev);
    }
    const problems: string[] = [];
    for (const s of applyTo) if (!applied.has(s)) problems.push(`${s} never applied`);
    for (const s of input.shards) if (!outputs.has(s.name)) problems.push(`${s.name} has no outputs`);
    for (const e of input.edges.filter(e => e.consumerShard !== e.providerShard)) {
        const key = edgeName(e);
        const ep = outputs.get(e.consumerShard)?.endpoints.get(key);
        const svc = outputs.get(e.providerShard)?.svc;
        if (!ep) problems.push(`${key}: no endpoint`);
        else if (ep.forSvc !== svc) problems.push(`${key}: endpoint made for an endpoint service that was replaced`);
        else if (accepted.get(key) !== `${ep.id}@${svc}`) problems.push(`${key}: endpoint not accepted`);
    }
    return { problems, events };
}

const shardNames = (plan: WavePlan) => plan.waves.map(w => w.map(r => r.shard));
const names = (input: WaveInput) => input.shards.map(s => s.name);

/** Random environments: 1-7 shards of 1-3 services, random `consumes` (cycles and in-shard edges included). */
const environments = fc.integer({ min: 1, max: 7 }).chain(n =>
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }).chain(sizes => {
        const services = sizes.flatMap((k, i) => Array.from({ length: k }, (_, j) => ({ name: `s${i}x${j}`, shard: `t${i}` })));
        return fc.uniqueArray(
            fc.tuple(fc.nat(services.length - 1), fc.nat(services.length - 1)),
            { maxLength: 12, selector: ([a, b]) => `${a}-${b}` },
        ).map(pairs => {
            const edges: WaveEdge[] = pairs
                .map(([a, b]) => ({
                    consumer: services[a].name, provider: services[b].name,
                    consumerShard: services[a].shard, providerShard: services[b].shard,
                }))
                .filter(e => e.consumerShard !== e.providerShard);
            const input: WaveInput = { shards: sizes.map((_, i) => ({ name: `t${i}`, stack: `dev.t${i}` })), edges };
            return input;
        });
    }));

/** An environment plus which shards are deployed and which a change touches. */
const situations = environments.chain(input =>
    fc.tuple(fc.subarray(names(input)), fc.subarray(names(input))).map(([deployed, touched]) => ({ input, deployed, touched })));

describe("wave planner (tools/env/waves.ts)", () => {
    const cycle: WaveInput = {
        shards: [{ name: "a", stack: "dev.a" }, { name: "b", stack: "dev.b" }],
        edges: [
            { consumer: "alpha", provider: "beta", consumerShard: "a", providerShard: "b" },
            { consumer: "beta", provider: "alpha", consumerShard: "b", providerShard: "a" },
        ],
    };

    it("converges the cycle A <-> B in the three documented waves", () => {
        const plan = firstDeployment(cycle);
        assert.deepStrictEqual(describePlan(plan), [
            "wave 1: dev.a (apply; endpoint services alpha; skip alpha->beta (provider not deployed yet))",
            "wave 1: dev.b (apply; endpoint services beta; skip beta->alpha (provider not deployed yet))",
            "wave 2: dev.a (endpoints alpha->beta)",
            "wave 2: dev.b (endpoints beta->alpha)",
            "wave 3: dev.a (accept beta->alpha)",
            "wave 3: dev.b (accept alpha->beta)",
        ]);
        assert.deepStrictEqual(simulate(cycle, new Set(), new Set(["a", "b"]), shardNames(plan)).problems, []);
        // docs/scale.md shows this very plan.
        const doc = fs.readFileSync(path.join(__dirname, "../../docs/scale.md"), "utf8");
        const block = /\*\*The cycle A ↔ B\*\*[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1];
        assert.deepStrictEqual(block?.trim().split("\n"), describePlan(plan), "docs/scale.md: the cycle example differs from the planner's output");
        // Two waves are not enough: the same runs cut after wave 2 leave both edges unaccepted.
        assert.deepStrictEqual(simulate(cycle, new Set(), new Set(["a", "b"]), shardNames(plan).slice(0, 2)).problems,
            ["alpha->beta: endpoint not accepted", "beta->alpha: endpoint not accepted"]);
    });

    it("re-runs only the touched shard and its dependents on a change", () => {
        const input: WaveInput = {
            shards: ["edge", "orders", "payments", "search"].map(name => ({ name, stack: `dev.${name}` })),
            edges: [
                { consumer: "web", provider: "orders", consumerShard: "edge", providerShard: "orders" },
                { consumer: "orders", provider: "payments", consumerShard: "orders", providerShard: "payments" },
            ],
        };
        const plan = changeWaves(input, ["orders"]);
        assert.deepStrictEqual(describePlan(plan), [
            "wave 1: dev.orders (apply; endpoint services orders; endpoints orders->payments)",
            "wave 2: dev.edge (endpoints web->orders)",
            "wave 2: dev.payments (accept orders->payments)",
            "wave 3: dev.orders (accept web->orders)",
        ]);
        assert.deepStrictEqual(plan.applied, ["orders"]);
        assert.deepStrictEqual(plan.dependents, ["edge", "payments"]);
        // search has no cross-shard edge: a change to it is one run.
        assert.deepStrictEqual(describePlan(changeWaves(input, ["search"])), ["wave 1: dev.search (apply)"]);
        assert.deepStrictEqual(changeWaves(input, []).waves, []);
    });

    it("a pure consumer deploys once, in wave 2, when its providers are new", () => {
        const input: WaveInput = {
            shards: [{ name: "c", stack: "dev.c" }, { name: "p", stack: "dev.p" }],
            edges: [{ consumer: "web", provider: "api", consumerShard: "c", providerShard: "p" }],
        };
        assert.deepStrictEqual(describePlan(firstDeployment(input)), [
            "wave 1: dev.p (apply; endpoint services api)",
            "wave 2: dev.c (apply; endpoints web->api)",
            "wave 3: dev.p (accept web->api)",
        ]);
    });

    it("converges any environment, cycles included, in at most 3 waves (first deployment, change, partial deployment)", () => {
        fc.assert(fc.property(situations, ({ input, deployed, touched }) => {
            for (const [plan, dep, tch] of [
                [firstDeployment(input), new Set<string>(), new Set(names(input))],
                [changeWaves(input, touched), new Set(names(input)), new Set(touched)],
                [planWaves(input, { deployed, touched }), new Set(deployed), new Set(touched)],
            ] as const) {
                assert.ok(plan.waves.length <= 3, `${plan.waves.length} waves`);
                assert.deepStrictEqual(simulate(input, dep, tch, shardNames(plan)).problems, [], describePlan(plan).join("\n"));
                for (const w of plan.waves) assert.strictEqual(new Set(w.map(r => r.shard)).size, w.length, "a shard twice in one wave");
            }
        }), { numRuns: 400 });
    });

    it("a first deployment takes exactly 3 waves with a cross-shard edge, 1 without (3 is also the lower bound)", () => {
        fc.assert(fc.property(environments, input => {
            assert.strictEqual(firstDeployment(input).waves.length, input.edges.length > 0 ? 3 : 1);
        }), { numRuns: 200 });
    });

    it("meets every edge's prerequisites in order: endpoint service, then endpoint, then acceptance", () => {
        fc.assert(fc.property(situations, ({ input, deployed, touched }) => {
            const plan = planWaves(input, { deployed, touched });
            const waveOf = (shard: string, kind: string, key?: string) => plan.waves.flat()
                .filter(r => r.shard === shard && r.does.some(s => s.kind === kind && (key === undefined || ("edges" in s && s.edges.includes(key)))))
                .map(r => r.wave);
            for (const e of input.edges) {
                const key = edgeName(e);
                const made = waveOf(e.consumerShard, "endpoints", key);
                const accepts = waveOf(e.providerShard, "accept", key);
                const providerApplied = waveOf(e.providerShard, "apply");
                if (made.length === 0) continue; // unchanged edge
                const lastMade = Math.max(...made);
                for (const w of providerApplied) assert.ok(w < lastMade, `${key}: endpoint in wave ${lastMade}, provider applied in wave ${w}`);
                assert.ok(accepts.some(w => w > lastMade), `${key}: endpoint made in wave ${lastMade}, accepted in ${accepts.join(",") || "no wave"}`);
                assert.ok(accepts.every(w => w > Math.min(...made)), `${key}: accepted before any endpoint was made`);
            }
        }), { numRuns: 300 });
    });

    it("lists exactly what each run does (the steps agree with the model)", () => {
        fc.assert(fc.property(situations, ({ input, deployed, touched }) => {
            const plan = planWaves(input, { deployed, touched });
            const { events } = simulate(input, new Set(deployed), new Set(touched), shardNames(plan));
            plan.waves.forEach((runs, i) => {
                const listed = (kind: string) => runs.flatMap(r => r.does.flatMap(s => s.kind === kind && "edges" in s ? s.edges : [])).sort();
                assert.deepStrictEqual(listed("endpoints"), [...events[i].made.keys()].sort(), `wave ${i + 1} endpoints`);
                assert.deepStrictEqual(listed("skip-endpoints"), [...events[i].skipped.keys()].sort(), `wave ${i + 1} skipped`);
                assert.deepStrictEqual(listed("accept"), [...events[i].accepted.keys()].sort(), `wave ${i + 1} accepted`);
            });
        }), { numRuns: 300 });
    });

    it("has no superfluous run: dropping any one run breaks convergence", () => {
        fc.assert(fc.property(situations, ({ input, deployed, touched }) => {
            for (const [plan, dep, tch] of [
                [firstDeployment(input), new Set<string>(), new Set(names(input))],
                [planWaves(input, { deployed, touched }), new Set(deployed), new Set(touched)],
            ] as const) {
                const waves = shardNames(plan);
                waves.forEach((w, i) => w.forEach(shard => {
                    const without = waves.map((x, j) => j === i ? x.filter(s => s !== shard) : x);
                    assert.notDeepStrictEqual(simulate(input, dep, tch, without).problems, [],
                        `wave ${i + 1} run of ${shard} is not needed:\n${describePlan(plan).join("\n")}`);
                }));
            }
        }), { numRuns: 300 });
    });

    it("names unknown shards in its input, all at once", () => {
        assert.throws(() => planWaves({
            shards: [{ name: "a", stack: "dev.a" }],
            edges: [{ consumer: "x", provider: "y", consumerShard: "a", providerShard: "b" }],
        }, { touched: ["c"] }), (err: Error) =>
            /edges\[0\]\.providerShard: "b" \(x->y\) is not a shard; known: a/.test(err.message) && /touched: "c" is not a shard/.test(err.message));
    });

    describe("runWaves", () => {
        it("runs at most `parallel` at once and starts a wave only after the previous one finished", async () => {
            await fc.assert(fc.asyncProperty(environments, fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(3), { minLength: 30, maxLength: 30 }),
                async (input, parallel, delays) => {
                    const plan = firstDeployment(input);
                    let active = 0, peak = 0, i = 0;
                    const finished: ShardRun[] = [];
                    await runWaves(plan, async run => {
                        assert.ok(plan.waves.slice(0, run.wave - 1).flat().every(r => finished.includes(r)), "started before the previous wave finished");
                        active++;
                        peak = Math.max(peak, active);
                        await new Promise(r => setTimeout(r, delays[i++ % delays.length]));
                        active--;
                        finished.push(run);
                    }, parallel);
                    assert.ok(peak <= parallel, `peak ${peak} > ${parallel}`);
                    assert.strictEqual(finished.length, plan.waves.flat().length);
                }), { numRuns: 40 });
        });

        it("stops after a failure: no later run starts, the error comes back", async () => {
            const started: string[] = [];
            await assert.rejects(runWaves(firstDeployment(cycle), async run => {
                started.push(`${run.wave}:${run.shard}`);
                if (run.wave === 2 && run.shard === "a") throw new Error("boom");
            }, 1), /boom/);
            assert.deepStrictEqual(started, ["1:a", "1:b", "2:a"]);
            await assert.rejects(runWaves(firstDeployment(cycle), async () => undefined, 0), /parallel must be a positive integer/);
            assert.deepStrictEqual(await mapLimited([1, 2, 3], async x => x * 2, 2), [2, 4, 6]);
        });
    });
});

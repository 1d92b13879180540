import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { shardedStackConfig } from "../../tools/bench/catalog";
import { EnvironmentModel, EnvironmentPlan, planEnvironment } from "../../tools/preview/env";
import { checkEnvironment, environmentViolations } from "../../tools/preview/env-checks";
import { environmentModel } from "../../tools/preview/env-model";
import { fromTransfer, loadProjectHooks, toTransfer } from "../../tools/preview/env-run";
import { UNKNOWN } from "../../policies/lib/values";

const ROOT = path.resolve(__dirname, "..", "..");

/** A synthetic catalog (tools/bench/catalog.ts) as one shard per service: cross-shard edges, cycles among them. */
function syntheticEnvironment(count: number): EnvironmentModel {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-plan-"));
    const file = path.join(dir, `Pulumi.sharded-${count}.yaml`);
    fs.writeFileSync(file, YAML.stringify({ config: shardedStackConfig(count) }));
    return environmentModel(ROOT, "bench", file);
}

function holdsUnknownText(v: unknown): boolean {
    if (v === "<unknown>") return true;
    return v !== null && typeof v === "object" && Object.values(v).some(holdsUnknownText);
}

/** Everything a plan says, but how many runs it took. */
function comparable(model: EnvironmentModel, plan: EnvironmentPlan): unknown {
    const checks = checkEnvironment(model, plan);
    return {
        shards: plan.shards.map(({ runs: _runs, ...s }) => ({ ...s, violations: s.violations.map(v => `${v.policy} ${v.urn} ${v.message}`).sort() })),
        outputs: [...plan.outputs],
        net: plan.netRecords,
        violations: environmentViolations(plan, checks).map(v => `${v.policy} ${v.message}`).sort(),
        wired: checks.wired,
        accepted: checks.accepted,
    };
}

describe("the environment plan's passes and lanes", function () {
    this.timeout(900_000);
    const hooks = loadProjectHooks(ROOT);

    it("declares what a shard reads of another and what its outputs depend on (components/catalog SHARD_OUTPUTS)", () => {
        const model = syntheticEnvironment(4);
        assert.deepEqual(model.outputs, { consumerReads: ["services", "declaredPrincipals"], providerReads: ["endpoints"], outputsDependOn: ["services", "declaredPrincipals"] });
    });

    for (const mode of ["preview", "up"] as const) {
        it(`in ${mode}, re-plans a shard only when what it reads changes what it exports, with the same plan as re-planning on every change`, async () => {
            const model = syntheticEnvironment(12);
            const blind: EnvironmentModel = { ...model, outputs: undefined };
            const every = await planEnvironment({ projectDir: ROOT, model: blind, mode, ...hooks });
            const declared = await planEnvironment({ projectDir: ROOT, model, mode, ...hooks });
            // The catalog has a cycle across shards: without the contract it takes a third pass.
            assert.equal(every.passes, 3);
            assert.deepEqual(comparable(model, declared), comparable(model, every));
            // A preview skips the `up` run of a provider that only sees a new consumer endpoint;
            // in `up` that run is needed (it accepts the endpoint), so only per-key reads can save runs.
            if (mode === "preview") assert.ok(declared.runs < every.runs, `${declared.runs} runs with the contract, ${every.runs} without`);
            else assert.ok(declared.runs <= every.runs, `${declared.runs} runs with the contract, ${every.runs} without`);
            assert.deepEqual(environmentViolations(declared, checkEnvironment(model, declared)).filter(v => v.enforcementLevel === "mandatory"), []);
        });
    }

    it("plans shards side by side in a worker thread with exactly the plan of one thread", async () => {
        const model = syntheticEnvironment(6);
        const one = await planEnvironment({ projectDir: ROOT, model, mode: "preview", ...hooks, lanes: 1 });
        const cwd = process.cwd();
        const two = await planEnvironment({ projectDir: ROOT, model, mode: "preview", ...hooks, lanes: 2 });
        assert.equal(process.cwd(), cwd, "the working directory is given back");
        assert.deepEqual(comparable(model, two), comparable(model, one));
        assert.equal(two.runs, one.runs);
        // The reachability records of a preview (plan records, policies/lib/plan/slim.ts) hold values unknown until up
        // in the records' display form, and came back from the worker as they were sent.
        assert.ok(holdsUnknownText(one.netRecords) && holdsUnknownText(two.netRecords));
    });

    it("carries registered symbols (the pack's unknown marker) across threads, and refuses others by where they are", () => {
        const value = { a: [1, UNKNOWN, { b: UNKNOWN }], c: "x", d: null };
        const back = fromTransfer(structuredClone(toTransfer(value))) as typeof value;
        assert.equal(back.a[1], UNKNOWN);
        assert.equal((back.a[2] as { b: unknown }).b, UNKNOWN);
        assert.deepEqual({ ...back, a: undefined }, { ...value, a: undefined });
        assert.throws(() => toTransfer({ net: [{ props: { x: Symbol("local") } }] }), /result\.net\[0\]\.props\.x holds Symbol\(local\).*Symbol\.for/);
    });
});

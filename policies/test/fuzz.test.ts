// Not in `npm run test:quick`: it runs thousands of random stacks through every rule.
import * as assert from "assert";
import fc from "fast-check";
import { evaluate, ResourceRecord } from "../evaluate";
import { rules } from "../rules";
import { isStackRule } from "../lib/rule";
import { CASES } from "./cases";
import { goodStack, rec, urnOf } from "./fixtures";

/**
 * Partial, wrongly-typed and unknown properties fed to every rule must never
 * make evaluate() throw (a throwing policy fails the whole `pulumi preview`).
 */

const leaf = fc.oneof(
    fc.constant("<unknown>"),
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.constantFrom("*", "0.0.0.0/0", "::/0", "-1", "true", "false", "{", "[]", "{}", "API", "KMS", "Allow"),
);
/** Keys that trip naive code (prototype members) and keys the rules read. */
const key = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("toString", "valueOf", "__proto__", "constructor", "Statement", "Effect", "Action", "NotAction", "Resource", "Principal", "Condition", "enabled", "bucket", "cidrBlocks", "name", "value"),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(key, tie("v"), { maxKeys: 4 })),
})).v;

/** A known-good or known-bad props object with random leaves replaced, removed or retyped. */
function mutate(base: unknown, rnd: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
    if (Array.isArray(base)) {
        return fc.oneof(rnd, fc.tuple(...base.map((b) => mutate(b, rnd))), fc.constant([]));
    }
    if (typeof base === "object" && base !== null) {
        const entries = Object.entries(base);
        if (entries.length === 0) {
            return fc.oneof(rnd, fc.constant({}));
        }
        return fc.oneof(
            { weight: 3, arbitrary: fc.record(Object.fromEntries(entries.map(([k, v]) => [k, mutate(v, rnd)])), { requiredKeys: [] }) },
            { weight: 1, arbitrary: rnd },
        );
    }
    if (typeof base === "string" && base.startsWith("{") || typeof base === "string" && base.startsWith("[")) {
        // JSON documents (policies, container definitions): mutate the parsed form and re-serialise.
        try {
            const parsed = JSON.parse(base);
            return fc.oneof(mutate(parsed, rnd).map((x) => JSON.stringify(x) ?? "null"), rnd);
        } catch {
            return rnd;
        }
    }
    return fc.oneof(fc.constant(base), rnd);
}

/** A known case of a rule, mutated: the base and every mutation come from the run's own random source. */
function mutatedInputs(bases: { type: string; props: unknown }[]): fc.Arbitrary<{ type: string; inputs: Record<string, unknown> }> {
    return fc.constantFrom(...bases).chain((base) =>
        mutate(base.props, value).map((props) => ({
            type: base.type,
            inputs: typeof props === "object" && props !== null && !Array.isArray(props) ? (props as Record<string, unknown>) : { junk: props },
        })),
    );
}

const ALL_TYPES = [...new Set(Object.values(CASES).flatMap((c) => [...c.good, ...c.bad].map((x) => x.type)))];

describe("fuzzing: no rule ever throws", function () {
    this.timeout(120_000);

    it("covers every resource rule's types", () => {
        const resourceRules = rules.filter((r) => !isStackRule(r)).map((r) => r.name);
        assert.deepStrictEqual(resourceRules.filter((n) => !CASES[n]), []);
    });

    it("mutations are drawn by fast-check: one rule's few cases become many distinct inputs", () => {
        const [name, c] = Object.entries(CASES).find(([, x]) => x.good.length + x.bad.length === 2)!;
        const seen = new Set(fc.sample(mutatedInputs([...c.good, ...c.bad]), { numRuns: 60, seed: 42 }).map((x) => JSON.stringify(x)));
        // Two cases in two modes would be at most 4 distinct inputs if the mutation ignored the run's randomness.
        assert.ok(seen.size > 20, `${name}: ${seen.size} distinct inputs in 60 runs`);
    });

    for (const [name, c] of Object.entries(CASES)) {
        const bases = [...c.good, ...c.bad];
        it(`${name}: mutated, partial and unknown properties`, async () => {
            await fc.assert(
                fc.asyncProperty(mutatedInputs(bases), fc.constantFrom("preview", "up"), async ({ type, inputs }, mode) => {
                    await evaluate([rec(type, "fuzz", inputs)], { mode: mode as "preview" | "up", config: {} });
                }),
                { numRuns: 60 },
            );
        });
        it(`${name}: arbitrary JSON values`, async () => {
            await fc.assert(
                fc.asyncProperty(fc.constantFrom(...bases.map((b) => b.type)), fc.dictionary(fc.constantFrom(...Object.keys(bases[0].props), "tags", "policy", "junk"), value, { maxKeys: 5 }), async (type, inputs) => {
                    await evaluate([rec(type, "fuzz", inputs as Record<string, unknown>)], { mode: "preview", config: {} });
                }),
                { numRuns: 60 },
            );
        });
    }

    it("values that cannot be turned into text (own non-function toString) still render in messages", async () => {
        const weird = { toString: 5, valueOf: "x" };
        const vs = await evaluate([rec("aws:ec2/securityGroup:SecurityGroup", "w", { ingress: [{ fromPort: weird, toPort: weird, cidrBlocks: ["0.0.0.0/0"] }] })], { mode: "up", config: {} });
        assert.ok(vs.some((v) => v.policy === "security-group-no-public-ingress" && v.message.includes("[object Object]")));
        await evaluate([rec("aws:iam/policy:Policy", "p", { policy: { Statement: [{ Effect: "Allow", Action: [weird], Resource: [weird] }] } })], { mode: "up", config: {} });
    });

    it("stack rules: random graphs with dangling, cyclic and mistyped property dependencies", async () => {
        const { all } = goodStack();
        const types = [...ALL_TYPES, ...new Set(all.map((r) => r.type))];
        await fc.assert(
            fc.asyncProperty(
                fc.array(
                    fc.record({
                        type: fc.constantFrom(...types),
                        props: fc.dictionary(fc.constantFrom("tags", "vpcId", "serviceName", "internal", "allowedPrincipals", "launchType", "vpcEndpointType", "networkLoadBalancerArns", "deadLetterConfig"), value, { maxKeys: 4 }),
                        deps: fc.array(fc.tuple(fc.constantFrom(...[...new Set(all.flatMap((r) => Object.keys(r.propertyDependencies ?? {})))], "vpcConfig", "serviceName", "role"), fc.nat(80)), { maxLength: 4 }),
                        parent: fc.option(fc.nat(80)),
                    }),
                    { minLength: 1, maxLength: 30 },
                ),
                fc.constantFrom("preview", "up"),
                async (specs, mode) => {
                    const extra: ResourceRecord[] = specs.map((s, i) => ({ ...rec(s.type, `r${i}`, s.props as Record<string, unknown>), urn: urnOf(s.type, `r${i}`) }));
                    const pool = [...all, ...extra];
                    specs.forEach((s, i) => {
                        const r = extra[i];
                        r.propertyDependencies = {};
                        for (const [k, j] of s.deps) {
                            const target = j < pool.length ? pool[j].urn : `urn:pulumi:dev::p::dangling::${j}`;
                            (r.propertyDependencies[k] ??= []).push(target);
                        }
                        r.parent = s.parent === null ? null : s.parent < pool.length ? pool[s.parent].urn : "urn:nowhere";
                    });
                    await evaluate(pool, { mode: mode as "preview" | "up", config: {} });
                },
            ),
            { numRuns: 150 },
        );
    });
});

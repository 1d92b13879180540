import * as assert from "assert";
import { rules } from "../rules";
import { isStackRule } from "../lib/rule";
import { CASES } from "./cases";
import { rec } from "./fixtures";
import { assertClean, assertTrips, run } from "./helpers";

describe("resource rules: compliant and non-compliant cases", () => {
    const resourceRules = rules.filter((r) => !isStackRule(r));

    it("every resource rule has cases here", () => {
        const missing = resourceRules.map((r) => r.name).filter((n) => !(n in CASES));
        assert.deepStrictEqual(missing, []);
        for (const [name, c] of Object.entries(CASES)) {
            assert.ok(c.good.length > 0 && c.bad.length > 0, `${name} needs both kinds of case`);
        }
    });

    for (const [name, c] of Object.entries(CASES)) {
        describe(name, () => {
            const config = c.config ? { [name]: c.config } : undefined;
            c.good.forEach((g, i) => {
                it(`passes compliant case ${i + 1} (${g.type})`, async () => {
                    assertClean(await run([rec(g.type, `good${i}`, g.props)], [name], { config }), name);
                });
            });
            c.bad.forEach((b, i) => {
                it(`reports non-compliant case ${i + 1} (${b.type}) naming the value and the fix`, async () => {
                    const vs = await run([rec(b.type, `bad${i}`, b.props)], [name], { config });
                    const v = assertTrips(vs, name, ...(b.expect ?? []), "Fix:");
                    assert.ok(v.message.includes(`"bad${i}"`), `message names the resource: ${v.message}`);
                    assert.ok(v.message.startsWith(v.message.split("\n")[0]) && v.message.includes("\n"), "message is description + detail, as the engine formats it");
                });
            });
        });
    }
});

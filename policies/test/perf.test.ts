import * as assert from "assert";
import { evaluate, summarize } from "../evaluate";
import { policies } from "../rules";
import { afterUp, bigStackOf, fixtureDeclarations, raisedQuotasConfig } from "./fixtures";

// How long the pack takes is measured by `npm run bench` (policies/scripts/bench.ts)
// and kept in docs/performance.md, not asserted here: a timed test fails on a busy machine.
describe("evaluate: a large compliant stack", function () {
    this.timeout(120_000);
    const { services, records } = bigStackOf();
    // ~300 service VPCs need raised quotas: declared from the service count, as a real stack of that size would.
    // Its account and its log bucket declared, as the fixtures' stack declares them.
    const declared = fixtureDeclarations();
    const stackConfig = { ...raisedQuotasConfig(services), ...declared.stackConfig };

    for (const mode of ["preview", "up"] as const) {
        it(`judges ~8,000 compliant resources with no mandatory violation (${mode})`, async () => {
            const input = mode === "up" ? afterUp(records) : records;
            assert.ok(input.length >= 7900, `${input.length} resources`);
            const vs = await evaluate(input, { mode, config: declared.config, stackConfig });
            assert.strictEqual(summarize(vs).mandatory, 0, `the synthetic stack is compliant: ${JSON.stringify(vs.filter((v) => v.enforcementLevel === "mandatory").slice(0, 3))}`);
        });
    }

    it("needs those quotas: one VPC short of the declared count is refused", async () => {
        const platform = (stackConfig["privatelink-platform:platform"] as { quotas: Record<string, number> });
        const short = { "privatelink-platform:platform": { quotas: { ...platform.quotas, "L-F678F1CE": platform.quotas["L-F678F1CE"] - 1 } } };
        const vs = await evaluate(records, { mode: "up", config: {}, stackConfig: short, policies: policies.filter((p) => p.name === "quotas-within-limits") });
        assert.ok(vs.some((v) => v.enforcementLevel === "mandatory" && v.message.includes("L-F678F1CE")), JSON.stringify(vs.map((v) => v.message)));
    });
});

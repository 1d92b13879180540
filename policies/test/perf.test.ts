import * as assert from "assert";
import { evaluate, summarize } from "../evaluate";
import { afterUp, bigStack, raisedQuotasConfig } from "./fixtures";

// How long the pack takes is measured by `npm run bench` (policies/scripts/bench.ts)
// and kept in docs/performance.md, not asserted here: a timed test fails on a busy machine.
describe("evaluate: a large compliant stack", function () {
    this.timeout(120_000);
    const records = bigStack();
    // ~300 service VPCs need raised quotas: declared, as a real stack of that size would.
    const stackConfig = raisedQuotasConfig(records);

    for (const mode of ["preview", "up"] as const) {
        it(`judges ~8,000 compliant resources with no mandatory violation (${mode})`, async () => {
            const input = mode === "up" ? afterUp(records) : records;
            assert.ok(input.length >= 7900, `${input.length} resources`);
            const vs = await evaluate(input, { mode, config: {}, stackConfig });
            assert.strictEqual(summarize(vs).mandatory, 0, `the synthetic stack is compliant: ${JSON.stringify(vs.filter((v) => v.enforcementLevel === "mandatory").slice(0, 3))}`);
        });
    }
});

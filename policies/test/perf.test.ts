import * as assert from "assert";
import { evaluate, summarize } from "../evaluate";
import { quotaReport } from "../lib/quotas";
import { afterUp, bigStack } from "./fixtures";

describe("evaluate: speed on a large stack", function () {
    this.timeout(60_000);
    const records = bigStack();
    // ~300 service VPCs need raised quotas: declared, as a real stack of that size would.
    const quotas = Object.fromEntries(quotaReport(records).filter((r) => !r.ok).map((r) => [r.code, Math.ceil(r.need)]));
    const stackConfig = { "privatelink-platform:platform": { quotas } };

    for (const mode of ["preview", "up"] as const) {
        it(`evaluates ~8,000 resources in at most 2 s (${mode})`, async () => {
            const input = mode === "up" ? afterUp(records) : records;
            assert.ok(input.length >= 7900, `${input.length} resources`);
            await evaluate(input.slice(0, 200), { mode, config: {}, stackConfig }); // warm up module loading and JIT
            const t0 = process.hrtime.bigint();
            const vs = await evaluate(input, { mode, config: {}, stackConfig });
            const ms = Number(process.hrtime.bigint() - t0) / 1e6;
            console.log(`      ${input.length} resources, ${mode}: ${ms.toFixed(0)} ms, ${JSON.stringify(summarize(vs))}`);
            assert.strictEqual(summarize(vs).mandatory, 0, "the synthetic stack is compliant");
            assert.ok(ms <= 2000, `took ${ms.toFixed(0)} ms`);
        });
    }
});

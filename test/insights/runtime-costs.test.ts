import * as assert from "assert";
import * as fs from "fs";
import { generatedBlock, renderRuntimeCosts, RUNTIMES, RUNTIMES_DOC, runtimeCosts } from "../../tools/insights/runtime-costs";
import type { ServiceCost } from "../../tools/insights/cost";
import { PRICES } from "../../tools/insights/price-table";

describe("docs/runtimes.md: fixed cost per runtime, from the estimator", function () {
    this.timeout(240_000);
    let costs: Record<(typeof RUNTIMES)[number], ServiceCost>;
    before(async () => {
        costs = await runtimeCosts();
    });

    it("the table in docs/runtimes.md equals the estimator's fixed component for a one-service catalog of each runtime", () => {
        const block = generatedBlock(fs.readFileSync(RUNTIMES_DOC, "utf8"));
        assert.ok(block, "docs/runtimes.md lost its generated block");
        assert.strictEqual(block, renderRuntimeCosts(costs), "stale: node -r ts-node/register/transpile-only tools/insights/runtime-costs.ts --write");
    });

    it("the fixed component of a one-service Fargate catalog is its NLB and three AWS-service endpoints in two zones (by hand)", () => {
        const p = (k: string) => PRICES.regions["us-east-1"][k].price;
        const expected = p("nlb-hour") * 730 + 3 * 2 * p("interface-endpoint-az-hour") * 730;
        assert.ok(Math.abs(costs.fargate.fixed - expected) < 1e-6, `${costs.fargate.fixed} ≠ ${expected}`);
        assert.ok(Math.abs(costs.lambda.fixed - 2 * p("nlb-hour") * 730) < 1e-6, "lambda: an NLB and an ALB, same hourly price");
    });
});

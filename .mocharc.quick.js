// `npm run test:quick`: the unit tests of the policy pack, the catalog and
// the insights, without the tests that run the program offline (a plan takes
// seconds) or sample at random at length. Run it while you work; `npm test`
// runs everything (README, "Running the tests").
"use strict";
const base = require("./.mocharc.json");

module.exports = {
    ...base,
    spec: ["policies/test/**/*.test.ts", "test/catalog/**/*.test.ts", "test/insights/**/*.test.ts"],
    ignore: [
        // They plan the shipped stacks or edited programs offline.
        "policies/test/shipped-stacks.test.ts",
        "policies/test/eks-supported-zones.test.ts",
        "test/catalog/expose.test.ts",
        "test/catalog/lambda.test.ts",
        "test/catalog/names.test.ts",
        "test/catalog/needs-input.test.ts",
        "test/insights/cost.test.ts",
        "test/insights/diagram.test.ts",
        "test/insights/diagram-cli.test.ts",
        "test/insights/diff.test.ts",
        "test/insights/plan-diff.test.ts",
        "test/insights/plan-comment-workflow.test.ts",
        // They start processes (the pack's analyzer, the metadata generator).
        "policies/test/metadata.test.ts",
        // Thousands of random stacks through every rule.
        "policies/test/fuzz.test.ts",
    ],
};

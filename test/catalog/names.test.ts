// Not in `npm run test:quick`: it plans the program offline.
import * as assert from "assert";
import { findProblems, maxStackNameLength } from "../../components/catalog";
import { catalogConfig, fargate, plan } from "../helpers";

describe("catalog names that would make invalid AWS names", () => {
    const problemsOf = (names: string[], stack?: string) =>
        findProblems({ services: names.map(n => fargate(n)) }, { stack }).problems;

    it("refuses service names whose load balancers would begin with internal-, naming services[i].name", () => {
        const problems = problemsOf(["orders", "internal", "internal-api"]);
        assert.deepStrictEqual(problems.map(p => p.path), ["services[1].name", "services[2].name"]);
        assert.match(problems[0].message, /"internal-…", which AWS refuses for load balancer names; choose a name that does not start with "internal-"/);
    });

    it("refuses service names whose security groups would begin with sg-", () => {
        const problems = problemsOf(["sg", "sg-gateway", "sgw"]);
        assert.deepStrictEqual(problems.map(p => p.path), ["services[0].name", "services[1].name"]);
        assert.match(problems[1].message, /security group names/);
    });

    it("accepts names that merely contain the words", () => {
        assert.deepStrictEqual(problemsOf(["internals", "api-internal", "sgw", "my-sg"]), []);
    });

    it("refuses stack names ECR, ECS, EKS or Lambda names cannot carry, with a suggestion", () => {
        for (const stack of ["Dev", "dev.eu", "dev--x", "-dev", "dev_", "team/dev"]) {
            const problems = problemsOf(["orders"], stack);
            assert.strictEqual(problems.length, 1, `${stack}: ${JSON.stringify(problems)}`);
            assert.strictEqual(problems[0].path, "stack");
            assert.match(problems[0].message, /ECR repositories are ".*\/<service>"/);
        }
        assert.match(problemsOf(["orders"], "Dev.EU")[0].message, /e\.g\. "dev-eu"/);
    });

    it("refuses a stack name too long for <stack>-<service> Lambda function names", () => {
        assert.strictEqual(maxStackNameLength(), 43);
        assert.deepStrictEqual(problemsOf(["orders"], "a".repeat(43)), []);
        assert.match(problemsOf(["orders"], "a".repeat(44))[0].message, /44 characters; at most 43/);
    });

    it("accepts the shipped stacks' names and names with single separators", () => {
        for (const stack of ["dev", "prod", "team-a_prod2"]) {
            assert.deepStrictEqual(problemsOf(["orders"], stack), []);
        }
    });

    it("the program refuses an invalid stack name before registering anything", async function () {
        this.timeout(60_000);
        const result = await plan(catalogConfig([fargate("orders")]), "preview", "Dev.EU");
        assert.deepStrictEqual(result.errors?.map(e => e.path), ["stack"]);
        assert.strictEqual(result.resources.filter(r => r.type !== "pulumi:pulumi:Stack").length, 0);
    });
});

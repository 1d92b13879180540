import * as assert from "assert";
import { validateCatalog } from "../../components/catalog";
import { resolveFirstDeployments, UnpushedImageError } from "../../components/preflight";
import { evaluate } from "../../policies/evaluate";
import { runPreview } from "../../tools/preview";
import { fargate, ROOT } from "../helpers";

const NOT_FOUND_REPO = new Error("RepositoryNotFoundException: The repository with name 'dev/web' does not exist");
const NOT_FOUND_TAG = new Error("ImageNotFoundException: The image with imageId {imageTag:'9.9.9'} does not exist");

function catalogOf(...services: Record<string, unknown>[]) {
    return validateCatalog({ platform: {}, services }, { stack: "dev" });
}

describe("first deployment in a fresh account", function () {
    this.timeout(300_000);

    describe("resolveFirstDeployments", () => {
        it("plans a service whose repository does not exist yet as pending, and says what to push", async () => {
            const warnings: string[] = [];
            const catalog = catalogOf(fargate("web", { image: "1.2.0" }), fargate("orders", { image: "3.0.0" }));
            const resolved = await resolveFirstDeployments(catalog, "dev", async repo => {
                if (repo === "dev/web") throw NOT_FOUND_REPO;
            }, w => warnings.push(w));
            assert.deepStrictEqual(resolved.services.map(s => [s.name, s.image]), [["web", "pending"], ["orders", "3.0.0"]]);
            assert.strictEqual(warnings.length, 1);
            assert.match(warnings[0], /first deployment of 1 service/);
            assert.match(warnings[0], /web: docker push .*\/dev\/web:1\.2\.0/);
        });

        it("refuses, listing every one, tags missing from repositories that exist", async () => {
            const catalog = catalogOf(fargate("web", { image: "9.9.9" }), fargate("orders", { image: "9.9.9" }));
            await assert.rejects(
                resolveFirstDeployments(catalog, "dev", async () => { throw NOT_FOUND_TAG; }, () => undefined),
                (err: unknown) => err instanceof UnpushedImageError && err.problems.length === 2 && /services "web"\.image: tag "9\.9\.9" is not in repository dev\/web/.test(err.message),
            );
        });

        it("looks up only tags: pending services and build contexts are left as they are", async () => {
            const looked: string[] = [];
            const catalog = catalogOf(fargate("web", { image: "pending" }), fargate("orders", { image: "1.0.0" }));
            const resolved = await resolveFirstDeployments(catalog, "dev", async repo => { looked.push(repo); }, () => undefined);
            assert.deepStrictEqual(looked, ["dev/orders"]);
            assert.strictEqual(resolved, catalog, "nothing to change: the same catalog");
        });
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: plans the first up in an account with no repositories: everything but the workloads, 0 mandatory violations`, async () => {
            const result = await runPreview({
                projectDir: ROOT, stack, mode: "up", freshAccount: true,
                evaluatePolicies: (rs, ctx) => evaluate(rs, { mode: ctx.mode, stackConfig: ctx.stackConfig }),
            });
            const ofType = (t: string) => result.resources.filter(r => r.type === t);
            assert.ok(ofType("aws:ecr/repository:Repository").length >= 9, "every repository is created");
            for (const svc of ofType("aws:ecs/service:Service")) {
                assert.strictEqual(svc.inputs?.desiredCount, 0, `${svc.name} starts no task`);
            }
            assert.deepStrictEqual(ofType("kubernetes:apps/v1:Deployment").map(r => r.name), [], "no Deployment awaits an image");
            assert.deepStrictEqual(result.violations.filter(v => v.enforcementLevel === "mandatory").map(v => `${v.policy}: ${v.message}`), []);
        });
    }
});

import * as assert from "assert";
import { validateCatalog } from "../../components/catalog";
import { ImageLookups, resolveFirstDeployments, UnpushedImageError } from "../../components/preflight";
import { evaluate } from "../../policies/evaluate";
import { runPreview } from "../../tools/preview";
import { fargate, ROOT } from "../helpers";

/**
 * What the bridged provider answers for a missing repository AND for a
 * missing tag (terraform-provider-aws `internal/service/ecr/image_data_source.go`,
 * `findImageDetails`: both exceptions become terraform-plugin-sdk's
 * `retry.NotFoundError`, "couldn't find resource"). The exception's name
 * never reaches the program.
 */
const NOT_FOUND = new Error("reading ECR Images: couldn't find resource");

function catalogOf(...services: Record<string, unknown>[]) {
    return validateCatalog({ platform: {}, services }, { stack: "dev" });
}

/** An account holding these repositories, each with these tags. */
function account(repos: Record<string, string[]>): ImageLookups & { listed: number; looked: string[] } {
    const lookups = {
        listed: 0,
        looked: [] as string[],
        async repositories() {
            lookups.listed += 1;
            return Object.keys(repos);
        },
        async image(repo: string, tag: string) {
            lookups.looked.push(repo);
            if (!repos[repo]?.includes(tag)) throw NOT_FOUND;
        },
    };
    return lookups;
}

describe("first deployment in a fresh account", function () {
    this.timeout(300_000);

    describe("resolveFirstDeployments", () => {
        it("plans a service whose repository does not exist yet as pending, and says what to push", async () => {
            const warnings: string[] = [];
            const catalog = catalogOf(fargate("web", { image: "1.2.0" }), fargate("orders", { image: "3.0.0" }));
            const resolved = await resolveFirstDeployments(catalog, "dev", account({ "dev/orders": ["3.0.0"] }), w => warnings.push(w));
            assert.deepStrictEqual(resolved.services.map(s => [s.name, s.image]), [["web", "pending"], ["orders", "3.0.0"]]);
            assert.strictEqual(warnings.length, 1);
            assert.match(warnings[0], /first deployment of 1 service/);
            assert.match(warnings[0], /web: docker push .*\/dev\/web:1\.2\.0/);
        });

        it("refuses, listing every one, tags missing from repositories that exist, with ECR's answer as it came", async () => {
            const catalog = catalogOf(fargate("web", { image: "9.9.9" }), fargate("orders", { image: "9.9.9" }));
            await assert.rejects(
                resolveFirstDeployments(catalog, "dev", account({ "dev/web": ["1.0.0"], "dev/orders": [] }), () => undefined),
                (err: unknown) => err instanceof UnpushedImageError && err.problems.length === 2 &&
                    /services "web"\.image: tag "9\.9\.9" is not in repository dev\/web \(aws\.ecr\.getImage: reading ECR Images: couldn't find resource\): push it first/.test(err.message),
            );
        });

        it("lists the repositories once, and looks up tags only in repositories that exist", async () => {
            const lookups = account({ "dev/orders": ["1.0.0"] });
            const catalog = catalogOf(fargate("web", { image: "pending" }), fargate("orders", { image: "1.0.0" }), fargate("cart", { image: "2.0.0" }));
            await resolveFirstDeployments(catalog, "dev", lookups, () => undefined);
            assert.strictEqual(lookups.listed, 1);
            assert.deepStrictEqual(lookups.looked, ["dev/orders"]);
        });

        it("asks nothing when no service names a tag", async () => {
            const lookups = account({});
            const catalog = catalogOf(fargate("web", { image: "pending" }));
            const resolved = await resolveFirstDeployments(catalog, "dev", lookups, () => undefined);
            assert.strictEqual(resolved, catalog, "nothing to change: the same catalog");
            assert.strictEqual(lookups.listed, 0);
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

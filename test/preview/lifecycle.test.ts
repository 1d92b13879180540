import { strict as assert } from "assert";
import { evaluate } from "../../policies/evaluate";
import type { PreviewResult } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Lifecycle, parseRepositoryUrl } from "../../tools/preview/lifecycle";
import { World } from "../../tools/preview/world";
import { ROOT } from "../helpers";

const ECS_SERVICE = "aws:ecs/service:Service";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const FUNCTION = "aws:lambda/function:Function";
const mandatory = (r: PreviewResult) => r.violations.filter(v => v.enforcementLevel === "mandatory").map(v => `${v.policy}: ${v.message}`);
const ofType = (r: PreviewResult, t: string) => r.resources.filter(x => x.type === t);

describe("lifecycle: dev in a fresh account (README \"Deploying for real\", steps 5 and 6)", function () {
    this.timeout(600_000);
    const life = new Lifecycle({ projectDir: ROOT, stack: "dev", evaluatePolicies: (rs, ctx) => evaluate(rs, { mode: ctx.mode, stackConfig: ctx.stackConfig }) });
    let first: PreviewResult;
    let pushed: ReturnType<Lifecycle["pushStackImages"]>;
    let second: PreviewResult;
    const warnings: string[][] = [[], []];

    /** Runs `up`, keeping the program's warnings (its diagnostics) for the test. */
    async function upKeepingWarnings(into: string[]): Promise<PreviewResult> {
        const result = await life.up();
        into.push(...(result.diagnostics ?? []).filter(d => d.severity === "warning").map(d => d.message));
        return result;
    }

    before(async () => {
        first = await upKeepingWarnings(warnings[0]);
        pushed = life.pushStackImages(first);
        second = await upKeepingWarnings(warnings[1]);
    });

    it("starts from an account where nothing exists", () => {
        assert.deepEqual(first.startedFrom, []);
    });

    it("first up: every image is pending (no repository existed), everything else is created, 0 mandatory violations", () => {
        assert.deepEqual(mandatory(first), []);
        for (const svc of ofType(first, ECS_SERVICE)) assert.equal(svc.inputs.desiredCount, 0, `${svc.name} starts no task`);
        assert.deepEqual(ofType(first, DEPLOYMENT), []);
        assert.deepEqual(ofType(first, FUNCTION).filter(f => f.inputs.packageType === "Image"), []);
        assert.ok(ofType(first, "aws:ecr/repository:Repository").length >= 9);
        assert.match(warnings[0].join("\n"), /first deployment of 8 services: their repositories do not exist yet/);
        assert.match(warnings[0].join("\n"), /web: docker push <account>\.dkr\.ecr\.<region>\.amazonaws\.com\/dev\/web:1\.12\.0/);
    });

    it("the first up leaves the repositories it created in the world, empty", () => {
        const place = life.runs[0].world.at({ account: ACCOUNT_ID, region: "us-east-1" });
        assert.ok(place.repositories.has("dev/web"));
        assert.ok([...place.repositories.values()].every(r => r.images.length === 0));
        assert.equal(place.resources.size, first.resources.filter(r => r.custom && r.op === "create").length);
    });

    it("the push sends each tag the stack file names to the repositoryUrl the stack outputs", () => {
        assert.deepEqual(pushed.map(p => `${p.repository}:${p.tag}`).sort(), [
            "dev/accounts:1.8.2", "dev/catalog:5.1.0", "dev/notifications:0.9.3", "dev/orders:3.4.1",
            "dev/payments:2.0.7", "dev/recommend:0.4.0", "dev/search:2.3.0", "dev/web:1.12.0",
        ]);
        assert.ok(pushed.every(p => p.account === ACCOUNT_ID && p.region === "us-east-1"));
    });

    it("second up: every service runs (its workload is declared), nothing of the first up is replaced or renamed, 0 mandatory violations", () => {
        assert.deepEqual(mandatory(second), []);
        assert.deepEqual(warnings[1].filter(w => /first deployment/.test(w)), [], "no service is pending any more");
        for (const svc of ofType(second, ECS_SERVICE)) assert.notEqual(svc.inputs.desiredCount, 0, `${svc.name} runs`);
        assert.deepEqual(ofType(second, DEPLOYMENT).map(d => d.name), ["search-deployment"]);
        const before = new Set(first.resources.map(r => r.urn));
        const after = new Set(second.resources.map(r => r.urn));
        assert.deepEqual([...before].filter(u => !after.has(u)), []);
        const ids = new Map(first.resources.map(r => [r.urn, r.id]));
        assert.deepEqual(second.resources.filter(r => ids.has(r.urn) && r.custom && ids.get(r.urn) !== r.id).map(r => r.urn), [], "every resource keeps its id");
    });

    it("a push before the first up fails as docker push does: the repository does not exist", () => {
        const fresh = new Lifecycle({ projectDir: ROOT }, World.fresh());
        assert.throws(() => fresh.push([{ account: ACCOUNT_ID, region: "us-east-1", repository: "dev/web", tag: "1.12.0" }]), /name unknown: The repository with name 'dev\/web' does not exist/);
    });

    it("reads a repository URL as ECR spells it", () => {
        assert.deepEqual(parseRepositoryUrl(`${ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/dev/web`), { account: ACCOUNT_ID, region: "us-east-1", repository: "dev/web" });
        assert.equal(parseRepositoryUrl("docker.io/library/nginx"), undefined);
    });
});

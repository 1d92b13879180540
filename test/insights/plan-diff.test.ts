// Not in `npm run test:quick`: it plans edited programs offline.
/**
 * `npm run plan -- --base <ref>` on two revisions of a fixture project: a copy
 * of this program in a temporary git repository with a tiny catalog
 * (test/fixtures/plan-diff). The base revision's install links this
 * checkout's node_modules (same package-lock.json: the `shared` strategy);
 * the `cold`/`cached` strategies are tested on a small workspace-only project.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/preview/cli";
import { installBase, installKey } from "../../tools/insights/base-plan";
import { COMMENT_MARKER } from "../../tools/insights/comment";
import { World } from "../../tools/preview/world";
import type { PlanDiffReport } from "../../tools/insights/plan-diff";
import { ROOT } from "../helpers";

const FIXTURE = path.join(ROOT, "test", "fixtures", "plan-diff");
/** What of the project a plan needs (no tests, docs or node_modules). */
const PROGRAM = ["Pulumi.yaml", "package.json", "package-lock.json", "tsconfig.json", "index.ts", "components", "policies", "services", "tools"];

function git(cwd: string, ...args: string[]): string {
    return execFileSync("git", ["-c", "user.name=plan-diff test", "-c", "user.email=plan-diff@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

/** A git repository holding this program with the fixture's base catalog at HEAD~1 and its head catalog at HEAD. */
export function fixtureRepo(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-fixture-"));
    for (const p of PROGRAM) {
        fs.cpSync(path.join(ROOT, p), path.join(dir, p), {
            recursive: true,
            filter: src => !src.includes(`${path.sep}node_modules`) && !src.startsWith(path.join(ROOT, "policies", "test")),
        });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, ".gitignore"), "node_modules\n");
    fs.mkdirSync(path.join(dir, "stacks"));
    git(dir, "init", "-q", "-b", "main");
    fs.copyFileSync(path.join(FIXTURE, "base.yaml"), path.join(dir, "stacks", "Pulumi.test.yaml"));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "base");
    fs.copyFileSync(path.join(FIXTURE, "head.yaml"), path.join(dir, "stacks", "Pulumi.test.yaml"));
    git(dir, "commit", "-q", "-am", "head");
    return dir;
}

describe("plan diff: npm run plan -- --base <ref>", function () {
    this.timeout(300_000);
    let repo: string;
    let code: number;
    let report: PlanDiffReport;
    let text: string;
    let comment: string;
    let stderr = "";

    before(async () => {
        repo = fixtureRepo();
        const commentFile = path.join(repo, "comment.md");
        let out = "";
        code = await main(["--cwd", repo, "--stack", "test", "--mode", "up", "--base", "HEAD~1", "--json", "--comment", commentFile], s => (out += s), s => (stderr += s));
        const doc = JSON.parse(out) as { diff: PlanDiffReport; resources: unknown[] };
        report = doc.diff;
        comment = fs.readFileSync(commentFile, "utf8");
        const { renderDiffText } = await import("../../tools/insights/plan-diff");
        text = renderDiffText(report);
    });

    after(() => {
        if (repo) {
            try {
                git(repo, "worktree", "prune");
            } catch {
                /* removed with the directory */
            }
            fs.rmSync(repo, { recursive: true, force: true });
        }
    });

    it("plans the base revision in a worktree that shares this install (same lock file)", () => {
        assert.equal(report.error, undefined, `${report.error}\n${stderr}`);
        assert.equal(report.base.install, "shared");
        assert.match(report.base.commit, /^[0-9a-f]{40}$/);
        assert.equal(git(repo, "worktree", "list").trim().split("\n").length, 1, "the temporary worktree is removed");
    });

    it("shows the added service and its resources", () => {
        const d = report.diff!;
        assert.deepEqual(d.services.added, ["search"]);
        assert.deepEqual(d.services.removed, []);
        assert.ok(d.added.some(r => r.type === "aws:ec2/vpc:Vpc" && r.service === "search"), "search's VPC is created");
        assert.ok(d.added.length >= 10, `a service is many resources, got ${d.added.length}`);
        assert.match(text, /Services:\n {2}\+ search/);
    });

    it("shows the removed edge and the resources that go with it", () => {
        const d = report.diff!;
        assert.deepEqual(d.edges.removed, ["web->catalog"]);
        assert.ok(d.removed.some(r => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.name === "web-to-catalog-endpoint"));
        assert.ok(!d.removed.some(r => r.service === "catalog" && r.type === "aws:ec2/vpc:Vpc"), "catalog itself stays");
    });

    it("calls the CIDR change a replacement, with its source, and lists other changes as updates", () => {
        const d = report.diff!;
        const vpc = d.changed.find(c => c.type === "aws:ec2/vpc:Vpc" && c.service === "orders");
        assert.ok(vpc, "orders' VPC changed");
        assert.equal(vpc.action, "replace");
        assert.deepEqual(vpc.replacedBecause.map(r => r.property), ["cidrBlock"]);
        assert.match(vpc.replacedBecause[0].source, /terraform-provider-aws .*vpc_\.go/);
        assert.deepEqual(vpc.properties.find(p => p.path === "cidrBlock"), { path: "cidrBlock", before: "10.0.0.0/16", after: "10.1.0.0/16" });
        // Nothing about catalog, whose catalog entry did not change, is replaced.
        assert.ok(!d.changed.some(c => c.service === "catalog" && c.action === "replace"));
        assert.ok(d.changed.filter(c => c.action === "update").every(c => c.replacedBecause.length === 0));
    });

    it("shows the new policy finding", () => {
        const d = report.diff!;
        const f = d.findings.new.find(x => x.policy === "ecs-task-no-plaintext-secrets");
        assert.ok(f, JSON.stringify(d.findings.new.map(x => x.policy)));
        assert.match(f.message, /DB_PASSWORD/);
        assert.ok(f.urn?.includes("search"));
        assert.equal(d.summary.newMandatory, d.findings.new.filter(x => x.enforcementLevel === "mandatory").length);
        assert.equal(code, 1, "a new mandatory violation fails the plan, as without --base");
    });

    it("shows the cost delta: the new service costs more, the removed edge less", () => {
        const c = report.diff!.cost;
        assert.ok(c, report.diff!.costUnavailable);
        assert.ok(c.delta > 0, `total ${c.base} -> ${c.head}`);
        assert.equal(Math.round((c.head - c.base) * 100), Math.round(c.delta * 100));
        const search = c.services.find(s => s.service === "search");
        assert.ok(search && search.base === 0 && search.head > 0);
        const web = c.services.find(s => s.service === "web");
        assert.ok(web && web.delta < 0, "web has one interface endpoint fewer");
        assert.match(text, /Monthly cost estimate.*\(\+\$/);
    });

    it("diffs a stack that is new in the change against nothing, without planning the base", async () => {
        const { runPlanDiff } = await import("../../tools/insights/plan-diff");
        const head = { stack: "brand-new", project: "privatelink-platform", mode: "up" as const, resources: [], outputs: {}, violations: [], summary: { total: 0, byType: {} }, needsInput: [], offlineFallbacks: [], world: World.fresh() };
        const vpc = { urn: "urn:pulumi:brand-new::privatelink-platform::aws:ec2/vpc:Vpc::a-vpc", type: "aws:ec2/vpc:Vpc", name: "a-vpc", parent: null, custom: true, remote: false, op: "create" as const, id: "vpc-1", inputs: { tags: { "privatelink:service": "a" } }, outputs: {}, dependencies: [], propertyDependencies: {}, options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: null, replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: null, import: null } };
        const r = await runPlanDiff({ projectDir: repo, stack: "brand-new", mode: "up", ref: "HEAD", head: { ...head, resources: [vpc] }, headStackConfig: {}, estimator: null });
        assert.equal(r.error, undefined);
        assert.equal(r.newStack, true);
        assert.ok(r.base.timings.planMs < 2000, "the base's plan is not run");
        assert.deepEqual(r.diff?.services.added, ["a"]);
        assert.equal(r.diff?.summary.added, 1);
    });

    it("writes the pull-request comment body: summary, diff, replacements, findings, cost", () => {
        assert.ok(comment.startsWith(COMMENT_MARKER));
        assert.match(comment, /### Offline plan of stack `test`: `HEAD~1`/);
        assert.match(comment, /\| Resources \| \d+ → \d+: \*\*\d+\*\* to create/);
        assert.match(comment, /\| Edges \| − `web->catalog` \|/);
        assert.match(comment, /\| Services \| \+ `search`/);
        assert.match(comment, /#### Replacements[^]*`aws:ec2\/vpc:Vpc` `orders-vpc` \| `cidrBlock` \| hashicorp\/terraform-provider-aws/);
        assert.match(comment, /```diff\n[^]*\+ aws:ec2\/vpc:Vpc {2}search-vpc/);
        assert.match(comment, /\| new \| mandatory \| `ecs-task-no-plaintext-secrets` \|/);
        assert.match(comment, /#### Cost change per service[^]*\| `search` \| \$0\.00 \|/);
        assert.ok(comment.length < 65_536);
    });

    it("draws the diagram in the comment when this checkout has the diagram module", async () => {
        const { loadMermaid } = await import("../../tools/insights/plan-diff");
        if (loadMermaid()) assert.match(comment, /```mermaid\n[^]*search[^]*\n```/);
        else assert.doesNotMatch(comment, /```mermaid/);
    });
});

describe("plan diff: the diagram module's contract", () => {
    it("calls diagramGraph(records, { stackConfig, detail }).graph and toMermaid(graph), and does without a module", async () => {
        const { loadMermaid } = await import("../../tools/insights/plan-diff");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-diagram-"));
        try {
            assert.equal(loadMermaid(dir), undefined);
            fs.writeFileSync(
                path.join(dir, "diagram.js"),
                "exports.diagramGraph = (records, o) => ({ graph: { n: records.length, o } });\n" +
                    "exports.toMermaid = g => `flowchart LR\\n  %% ${g.n} ${g.o.detail} ${Object.keys(g.o.stackConfig).join(',')}`;\n",
            );
            const draw = loadMermaid(dir);
            assert.ok(draw);
            assert.equal(draw([], { "aws:region": "us-east-1" }), "flowchart LR\n  %% 0 full aws:region");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("plan diff: the base revision's install", function () {
    this.timeout(120_000);
    const LOCK = {
        name: "t", version: "1.0.0", lockfileVersion: 3, requires: true,
        packages: { "": { name: "t", version: "1.0.0", workspaces: ["pkg"] }, "node_modules/t-pkg": { resolved: "pkg", link: true }, pkg: { name: "t-pkg", version: "1.0.0" } },
    };
    function project(dir: string): string {
        fs.mkdirSync(path.join(dir, "pkg"), { recursive: true });
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "t", version: "1.0.0", private: true, workspaces: ["pkg"] }));
        fs.writeFileSync(path.join(dir, "pkg", "package.json"), JSON.stringify({ name: "t-pkg", version: "1.0.0" }));
        fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(LOCK, null, 2) + "\n");
        return dir;
    }

    it("runs npm ci once per lock file, then reuses the cached tree (cold, then cached)", async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-install-"));
        try {
            const cacheDir = path.join(tmp, "cache");
            const current = project(path.join(tmp, "current")); // no node_modules: nothing to share
            const a = project(path.join(tmp, "a"));
            const b = project(path.join(tmp, "b"));
            const opts = { cacheDir, shareInstall: true, log: () => undefined };
            assert.equal(await installBase(a, current, opts), "cold");
            const entry = path.join(cacheDir, installKey(fs.readFileSync(path.join(a, "package-lock.json"), "utf8")));
            assert.ok(fs.existsSync(path.join(entry, "complete")));
            assert.ok(fs.lstatSync(path.join(a, "node_modules")).isSymbolicLink());
            assert.equal(fs.realpathSync(path.join(a, "node_modules")), fs.realpathSync(path.join(entry, "node_modules")));
            assert.equal(await installBase(b, current, opts), "cached");
            assert.equal(fs.realpathSync(path.join(b, "node_modules")), fs.realpathSync(path.join(entry, "node_modules")));
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("keys the cache by lock file, Node major version and platform", () => {
        assert.notEqual(installKey("a"), installKey("b"));
        assert.match(installKey("a"), new RegExp(`^${process.platform}-${process.arch}-node${process.versions.node.split(".")[0]}-[0-9a-f]{32}$`));
    });
});

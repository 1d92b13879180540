import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { parseShardStackName } from "../components/catalog";
import { loadEnvironment } from "../components/catalog/environment";
import { computeMatrix, main as matrixMain } from "../tools/env/matrix";
import { fargate, stackFiles } from "./helpers";

const root = path.resolve(__dirname, "..");

describe("CI coverage of stacks", () => {
    const workflow = YAML.parse(fs.readFileSync(path.join(root, ".github/workflows/preview.yml"), "utf8"));
    const jobs = workflow.jobs;
    type Step = { uses?: string; run?: string; id?: string; with?: Record<string, string> };

    it("computes the preview and up matrices with the matrix script (fromJSON of its output)", () => {
        const step = (jobs.changes.steps as Step[]).find(s => s.id === "matrix");
        assert.ok(step?.run, "jobs.changes has no step with id: matrix");
        assert.match(step.run, /npm run -s matrix -- --base "\$BASE" --github-output "\$GITHUB_OUTPUT"/);
        for (const output of ["preview", "up", "any"]) {
            assert.strictEqual(jobs.changes.outputs[output], `\${{ steps.matrix.outputs.${output} }}`);
        }
        assert.strictEqual(jobs.preview.strategy.matrix, "${{ fromJSON(needs.changes.outputs.preview) }}");
        assert.strictEqual(jobs.up.strategy.matrix, "${{ fromJSON(needs.changes.outputs.up) }}");
        // An empty matrix fails a job: both are skipped when the change touches no stack.
        assert.match(jobs.preview.if, /needs\.changes\.outputs\.any == 'true'/);
        assert.match(jobs.up.if, /needs\.changes\.outputs\.any == 'true'/);
        assert.ok(jobs.preview.needs.includes("offline"), "the preview must wait for the offline checks");
    });

    it("brings environments up in waves, only on main, one deployment per environment at a time", () => {
        assert.match(jobs.up.if, /github\.ref == 'refs\/heads\/main'/);
        assert.match(jobs.up.if, /github\.event_name == 'push'/);
        assert.strictEqual(jobs.up.concurrency["cancel-in-progress"], false);
        const run = (jobs.up.steps as Step[]).find(s => s.run?.includes("npm run env"))?.run;
        assert.ok(run, "the up job does not run npm run env");
        assert.match(run, /npm run env -- up --env "\$\{\{ matrix\.env \}\}" --touched "\$\{\{ matrix\.touched \}\}"/);
        assert.ok((jobs.up.steps as Step[]).some(s => s.uses?.startsWith("pulumi/actions@") && s.with === undefined),
            "the up job must install the Pulumi CLI (the Automation API drives it)");
    });

    it("runs pulumi preview per shard stack through npm run preview (the pack and its environment's policy config)", () => {
        const steps = jobs.preview.steps as Step[];
        assert.ok(!steps.some(s => s.with?.command !== undefined), "the preview must not run pulumi itself: npm run preview passes the pack");
        const run = steps.find(s => s.run?.includes("npm run -s preview"))?.run;
        assert.ok(run, "the preview job does not run npm run preview");
        assert.match(run, /npm run -s preview -- --stack "\$\{\{ vars\.PULUMI_ORG \}\}\/\$\{\{ matrix\.stack \}\}"/);
        assert.match(run, /set -o pipefail/, "the preview's exit code must survive the tee");
        assert.ok(steps.some(s => s.uses?.startsWith("pulumi/actions@") && s.with === undefined), "the preview job must install the Pulumi CLI");
        for (const stack of stackFiles().filter(s => parseShardStackName(s) === undefined)) {
            assert.ok(fs.existsSync(path.join(root, "policies/config", `${stack}.json`)), `policies/config/${stack}.json is missing`);
        }
    });

    describe("the workflow's trust and order (F1, F9, F12 of the front-door/cross-account/CI review)", () => {
        type Job = { permissions?: Record<string, string>; if?: string; needs?: string[]; steps: Step[]; strategy?: { matrix: string } };
        const all = jobs as Record<string, Job>;
        const text = (j: Job) => JSON.stringify(j);
        const FORK_GUARD = "github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository";

        it("grants nothing workflow-wide; each job only what it uses: id-token where OIDC is used, pull-requests where a comment is posted", () => {
            assert.deepStrictEqual(workflow.permissions, {});
            for (const [name, job] of Object.entries(all)) {
                assert.ok(job.permissions, `job ${name} states no permissions (it would get the workflow's)`);
                const oidc = job.steps.some(s => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
                const comments = job.steps.some(s => s.with?.["comment-on-pr"] !== undefined && String(s.with["comment-on-pr"]) === "true");
                const expected: Record<string, string> = { contents: "read", ...(oidc ? { "id-token": "write" } : {}), ...(comments ? { "pull-requests": "write" } : {}) };
                assert.deepStrictEqual(job.permissions, expected, `job ${name}`);
            }
        });

        it("runs nothing that needs a secret or an OIDC token on a fork's pull request; a fork gets the offline plan of the same stacks", () => {
            for (const [name, job] of Object.entries(all)) {
                if (!/secrets\.|configure-aws-credentials/.test(text(job))) continue;
                assert.ok(job.if?.includes(FORK_GUARD) || /github\.event_name == 'push' && github\.ref == 'refs\/heads\/main'/.test(job.if ?? ""),
                    `job ${name} uses secrets or OIDC but may run for a fork's pull request (if: ${job.if})`);
            }
            const fork = all["offline-plan"];
            assert.match(fork.if ?? "", /github\.event\.pull_request\.head\.repo\.full_name != github\.repository/);
            assert.strictEqual(fork.strategy?.matrix, "${{ fromJSON(needs.changes.outputs.preview) }}");
            assert.ok(fork.steps.some(s => /npm run -s plan -- --stack "\$\{\{ matrix\.stack \}\}"/.test(s.run ?? "")));
            assert.doesNotMatch(text(fork), /secrets\.|id-token|configure-aws-credentials/);
        });

        it("creates every stack of each touched environment before any preview or up (a StackReference to a missing stack fails the run)", () => {
            const init = all.stacks;
            assert.strictEqual(init.strategy?.matrix, "${{ fromJSON(needs.changes.outputs.up) }}", "one init per touched environment");
            const run = init.steps.find(s => s.run?.includes("npm run env"))?.run ?? "";
            assert.match(run, /npm run env -- init --env "\$\{\{ matrix\.env \}\}" --org "\$\{\{ vars\.PULUMI_ORG \}\}"/);
            assert.ok(init.steps.some(s => s.uses?.startsWith("pulumi/actions@") && s.with === undefined), "init needs the Pulumi CLI");
            for (const name of ["preview", "up"]) assert.ok(all[name].needs?.includes("stacks"), `${name} must wait for the stacks`);
            // Every preview matrix entry's environment has an init entry: the up matrix lists every touched environment.
            const matrix = computeMatrix({ projectDir: root, changed: ["index.ts"] });
            const inits = new Set(matrix.up.include.map(e => e.env));
            for (const e of matrix.preview.include) assert.ok(inits.has(e.env), `${e.stack} is previewed but ${e.env} is never initialised`);
        });

        it("pins every action to a major that runs on Node 24 (each action's action.yml `runs.using: node24` at that major)", () => {
            // The first major of each action on node24, read from each repository's action.yml at its tags.
            const NODE24: Record<string, number> = {
                "actions/checkout": 5, "actions/setup-node": 5, "actions/cache": 5, "actions/upload-artifact": 6,
                "actions/download-artifact": 7, "actions/github-script": 8, "aws-actions/configure-aws-credentials": 6, "pulumi/actions": 7,
            };
            for (const f of fs.readdirSync(path.join(root, ".github/workflows"))) {
                for (const [, action, major] of fs.readFileSync(path.join(root, ".github/workflows", f), "utf8").matchAll(/uses: ([\w.-]+\/[\w.-]+)@v(\d+)/g)) {
                    assert.ok(action in NODE24, `${f}: ${action} is not in the table of Node 24 majors`);
                    assert.ok(Number(major) >= NODE24[action], `${f}: ${action}@v${major} runs on an older Node than 24 (first node24 major: v${NODE24[action]})`);
                }
            }
        });
    });

    it("reaches every stack file: a change to shared code previews every shard of every environment", () => {
        const matrix = computeMatrix({ projectDir: root, changed: ["index.ts"] });
        const stacks = matrix.preview.include.map(e => e.stack);
        const files = stackFiles();
        for (const stack of files) {
            const shard = parseShardStackName(stack);
            if (shard) {
                assert.ok(stacks.includes(stack), `${stack}: stacks/Pulumi.${stack}.yaml is not a shard the catalog of ${shard.env} declares, so CI never previews it`);
                continue;
            }
            const env = loadEnvironment(root, stack);
            for (const s of env.shards) {
                assert.ok(stacks.includes(s.stack), `shard stack ${s.stack} of ${stack} is missing from the matrix`);
            }
        }
        for (const stack of stacks) {
            assert.ok(files.includes(stack), `the matrix previews ${stack}, which has no stacks/Pulumi.${stack}.yaml (generate the shard files)`);
        }
        assert.deepStrictEqual(matrix.up.include.map(e => e.env).sort(), files.filter(s => parseShardStackName(s) === undefined).sort());
    });

    it("finds stack files by name only", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
        for (const f of ["Pulumi.dev.yaml", "Pulumi.qa.yml", "README.md", "Pulumi.yaml"]) {
            fs.writeFileSync(path.join(tmp, f), "");
        }
        assert.deepStrictEqual(stackFiles(tmp), ["dev", "qa"]);
    });

    describe("the matrix of a change (tools/env/matrix.ts)", () => {
        // qa: front [web] -> core [orders, payments] <-> search [search]
        const services = [
            fargate("web", { consumes: ["orders"] }),
            fargate("orders", { consumes: ["payments", "search"] }),
            fargate("payments"),
            fargate("search", { consumes: ["orders"] }),
        ];
        const shards = [
            { name: "front", services: ["web"] },
            { name: "core", services: ["orders", "payments"] },
            { name: "search", services: ["search"] },
        ];
        // Zones by id: a shard may be given another account (catalog: platform.zoneIds is then required).
        const config = (svc = services, platform: Record<string, unknown> = { zoneIds: ["use1-az1", "use1-az2"] }, shardList: unknown[] = shards) => YAML.stringify({
            config: {
                "aws:region": "us-east-1",
                "privatelink-platform:platform": platform,
                "privatelink-platform:services": svc,
                "privatelink-platform:shards": shardList,
            },
        });
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "matrix-"));
            fs.mkdirSync(path.join(dir, "stacks"));
            fs.writeFileSync(path.join(dir, "stacks", "Pulumi.qa.yaml"), config());
            for (const s of shards) fs.writeFileSync(path.join(dir, "stacks", `Pulumi.qa.${s.name}.yaml`), config());
        });
        const preview = (changed: string[], readBase?: (f: string) => string | undefined) =>
            computeMatrix({ projectDir: dir, changed, readBase }).preview.include.map(e => `${e.stack}:${e.reason}`);

        it("offline-only files touch nothing", () => {
            const m = computeMatrix({ projectDir: dir, changed: ["docs/scale.md", "README.md", "test/x.test.ts", "tools/preview/cli.ts"] });
            assert.deepStrictEqual(m, { preview: { include: [] }, up: { include: [] }, any: false });
        });

        it("shared code, the policy config or the platform settings touch every shard", () => {
            const all = ["qa.core:touched", "qa.front:touched", "qa.search:touched"];
            assert.deepStrictEqual(preview(["components/platform.ts"]), all);
            assert.deepStrictEqual(preview(["policies/config/qa.json"]), all);
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.yaml"], () => config(services, { logRetentionDays: 30 })), all);
        });

        it("one service's catalog entry touches its shard; its dependents follow", () => {
            const before = services.map(s => (s.name === "web" ? { ...s, image: "0.9.0" } : s));
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.yaml"], () => config(before)), ["qa.core:dependent", "qa.front:touched"]);
            // A regenerated shard file carrying the whole catalog counts only for its own services.
            assert.deepStrictEqual(
                preview(["stacks/Pulumi.qa.yaml", "stacks/Pulumi.qa.front.yaml", "stacks/Pulumi.qa.core.yaml", "stacks/Pulumi.qa.search.yaml"], () => config(before)),
                ["qa.core:dependent", "qa.front:touched"]);
            // The provider of a cycle: its consumers re-read, the shard it consumes accepts.
            const search = services.map(s => (s.name === "search" ? { ...s, port: 9090 } : s));
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.yaml"], () => config(search)), ["qa.core:dependent", "qa.search:touched"]);
            // Without the base version, the whole file counts.
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.search.yaml"]), ["qa.core:dependent", "qa.search:touched"]);
        });

        it("a new edge or a consumer's new account also touches the provider's shard (its principals and acceptances change)", () => {
            // web did not consume search before the change: search must admit front's account in wave 1.
            const before = services.map(s => (s.name === "web" ? { ...s, consumes: ["orders", "search"] } : s));
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.yaml"], () => config(before)), ["qa.core:dependent", "qa.front:touched", "qa.search:touched"]);
            // search moved to its own account: core, which search consumes, admits the new account.
            const inAccount = shards.map(s => (s.name === "search" ? { ...s, account: "210000000007", role: "deployer", previewRole: "previewer" } : s));
            assert.deepStrictEqual(preview(["stacks/Pulumi.qa.yaml"], () => config(services, undefined, inAccount)), ["qa.core:touched", "qa.front:dependent", "qa.search:touched"]);
        });

        it("a service's code touches the shard that deploys it", () => {
            assert.deepStrictEqual(preview(["services/payments/index.js"]), ["qa.core:touched", "qa.front:dependent", "qa.search:dependent"]);
            assert.deepStrictEqual(preview(["services/unknown/index.js"]), []);
        });

        it("writes the matrices as step outputs for fromJSON", () => {
            const out = path.join(dir, "github-output");
            const write = process.stdout.write;
            process.stdout.write = (() => true) as typeof process.stdout.write;
            try {
                assert.strictEqual(matrixMain(["--files", "stacks/Pulumi.qa.front.yaml", "--github-output", out], dir), 0);
            } finally {
                process.stdout.write = write;
            }
            const lines = Object.fromEntries(fs.readFileSync(out, "utf8").trim().split("\n").map(l => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
            assert.deepStrictEqual(JSON.parse(lines.preview).include.map((e: { stack: string }) => e.stack), ["qa.core", "qa.front"]);
            assert.deepStrictEqual(JSON.parse(lines.up), { include: [{ env: "qa", touched: "front" }] });
            assert.strictEqual(lines.any, "true");
        });
    });
});

import * as assert from "assert";
import { findProblems, NeedsInput } from "../../components/catalog";
import {
    callerPrincipal,
    creatorListed,
    CreatorListedError,
    needsInputAction,
    NeedsInputError,
    OFFLINE_PREVIEW_ENV,
    preflight,
    PreflightContext,
    unreachableClusters,
    UnreachableClusterError,
} from "../../components/preflight";
import { OFFLINE_PREVIEW_ENV as TOOL_ENV, runPreview } from "../../tools/preview";
import { renderText } from "../../tools/preview/render";
import { ACCOUNT_ID, FakeCloud } from "../../tools/preview/cloud";
import { isDocumentationAccount } from "../../policies/facts/documentation-values";
import { plan, PROJECT, ROOT, stackConfig } from "../helpers";

const ITEM: NeedsInput = {
    path: "platform.eks.publicAccessCidrs",
    note: "CI egress",
    what: "w",
    howToFind: "h",
    set: ["pulumi config rm --path 'k'", "pulumi config set --path 'k[0]' v"],
    none: { command: "pulumi config rm --path 'k'", means: "private" },
};

function catalogOf(platform: Record<string, unknown>, services: unknown[]) {
    const r = findProblems({ platform, services });
    assert.deepStrictEqual(r.problems, []);
    return r.catalog!;
}
const EKS = { name: "search", runtime: "eks", port: 8080, image: "1.0.0", instanceTypes: ["m7i.large"] };
const ADMIN = "arn:aws:iam::111111111111:role/ops/platform-deploy";
/** The egress of the machine that runs `pulumi up`. */
const RUNNER = "34.120.7.10/32";

describe("preflight: what a real pulumi up refuses before any resource", () => {
    it("refuses needs-input values at up, warns at preview, lists them offline in both modes", () => {
        assert.strictEqual(needsInputAction([ITEM], { dryRun: false, offline: false }), "refuse");
        assert.strictEqual(needsInputAction([ITEM], { dryRun: true, offline: false }), "warn");
        assert.strictEqual(needsInputAction([ITEM], { dryRun: false, offline: true }), "list");
        assert.strictEqual(needsInputAction([ITEM], { dryRun: true, offline: true }), "list");
        assert.strictEqual(needsInputAction([], { dryRun: false, offline: false }), "none");
    });

    it("refuses a preview too while the AWS provider's own key (aws:allowedAccountIds) is needs-input: the engine would hand the marker to the provider", () => {
        const account: NeedsInput = { ...ITEM, path: "aws:allowedAccountIds" };
        assert.strictEqual(needsInputAction([ITEM, account], { dryRun: true, offline: false }), "refuse");
        assert.strictEqual(needsInputAction([account], { dryRun: false, offline: false }), "refuse");
        assert.strictEqual(needsInputAction([account], { dryRun: true, offline: true }), "list");
        assert.match(new NeedsInputError([account], "dev").message, /the AWS provider reads aws:allowedAccountIds itself, so pulumi preview refuses too until it is set/);
    });

    it("reads the caller's principal from an assumed-role session, a role, a user or the root", () => {
        assert.deepStrictEqual(callerPrincipal("arn:aws:sts::111111111111:assumed-role/platform-deploy/gh-actions-42"), { account: "111111111111", kind: "role", name: "platform-deploy" });
        assert.deepStrictEqual(callerPrincipal("arn:aws:iam::111111111111:role/ops/platform-deploy"), { account: "111111111111", kind: "role", name: "platform-deploy" });
        assert.deepStrictEqual(callerPrincipal("arn:aws-us-gov:iam::111111111111:user/ci/deployer"), { account: "111111111111", kind: "user", name: "deployer" });
        assert.deepStrictEqual(callerPrincipal("arn:aws:iam::111111111111:root"), { account: "111111111111", kind: "root", name: "root" });
        assert.strictEqual(callerPrincipal("arn:aws:sts::111111111111:federated-user/bob"), undefined);
    });

    it("finds the deploying role in adminRoleArns or viewRoleArns by account and role name, whatever the role's path", () => {
        const session = "arn:aws:sts::111111111111:assumed-role/platform-deploy/gh-actions-42";
        assert.deepStrictEqual(creatorListed(session, { adminRoleArns: ["arn:aws:iam::111111111111:role/admins", ADMIN], viewRoleArns: [] }), [
            { path: "platform.eks.adminRoleArns[1]", arn: ADMIN },
        ]);
        assert.deepStrictEqual(creatorListed(session, { adminRoleArns: [], viewRoleArns: ["arn:aws:iam::111111111111:role/platform-deploy"] }), [
            { path: "platform.eks.viewRoleArns[0]", arn: "arn:aws:iam::111111111111:role/platform-deploy" },
        ]);
        // Same name in another account, a user of the same name, the root: not the caller's access entry.
        assert.deepStrictEqual(creatorListed(session, { adminRoleArns: ["arn:aws:iam::222222222222:role/platform-deploy", "arn:aws:iam::111111111111:user/platform-deploy"], viewRoleArns: [] }), []);
        assert.deepStrictEqual(creatorListed("arn:aws:iam::111111111111:root", { adminRoleArns: [ADMIN], viewRoleArns: [] }), []);
    });

    it("runs the checks in order: needs-input first, the caller only at up with eks roles listed", async () => {
        const warnings: string[] = [];
        let asked = 0;
        const ctx = (over: Partial<PreflightContext>): PreflightContext => ({
            dryRun: false,
            offline: false,
            stack: "dev",
            callerArn: async () => {
                asked++;
                return "arn:aws:sts::111111111111:assumed-role/platform-deploy/s";
            },
            warn: m => warnings.push(m),
            ...over,
        });
        const withInputs = { ...catalogOf({}, [EKS]), needsInput: [ITEM] };
        await assert.rejects(preflight(withInputs, ctx({})), (e: Error) => {
            assert.ok(e instanceof NeedsInputError);
            assert.match(e.message, /stack 'dev' still needs 1 value only you can know; nothing was created/);
            assert.match(e.message, /platform\.eks\.publicAccessCidrs: CI egress\n.*what: w\n.*how to find it: h\n.*set it: pulumi config rm --path 'k' && pulumi config set --path 'k\[0\]' v/s);
            return true;
        });
        await preflight(withInputs, ctx({ dryRun: true }));
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0], /this preview plans without it, and pulumi up will refuse to start until it is set/);
        await preflight(withInputs, ctx({ offline: true }));
        assert.strictEqual(warnings.length, 1);

        const listed = catalogOf({ eks: { adminRoleArns: [ADMIN], publicAccessCidrs: [RUNNER] } }, [EKS]);
        await preflight(listed, ctx({ dryRun: true }));
        assert.strictEqual(asked, 0, "preview never asks who deploys");
        await assert.rejects(preflight(listed, ctx({})), (e: Error) => {
            assert.ok(e instanceof CreatorListedError);
            assert.match(e.message, /runs as arn:aws:sts::111111111111:assumed-role\/platform-deploy\/s.*ResourceInUseException.*\n  platform\.eks\.adminRoleArns\[0\]: arn:aws:iam::111111111111:role\/ops\/platform-deploy/s);
            return true;
        });
        assert.strictEqual(asked, 1);
        await preflight(catalogOf({ eks: { adminRoleArns: [ADMIN] } }, [{ name: "web", runtime: "fargate", port: 8080, image: "1" }]), ctx({}));
        assert.strictEqual(asked, 1, "no eks service: no access entry, no question");
    });

    it("refuses at up, warns at preview, an eks service whose cluster API Pulumi could not reach (no public access CIDRs)", async () => {
        const warnings: string[] = [];
        const ctx = (over: Partial<PreflightContext>): PreflightContext => ({ dryRun: false, offline: false, stack: "dev", warn: m => warnings.push(m), ...over });
        const privateOnly = catalogOf({}, [EKS]);
        assert.deepStrictEqual(unreachableClusters(privateOnly), ["search"]);
        await assert.rejects(preflight(privateOnly, ctx({})), (e: Error) => {
            assert.ok(e instanceof UnreachableClusterError);
            assert.match(e.message, /cluster API of "search" would be private only .*Fix: set platform\.eks\.publicAccessCidrs.*nothing was created/s);
            return true;
        });
        await preflight(privateOnly, ctx({ dryRun: true }));
        assert.strictEqual(warnings.length, 1);
        await preflight(privateOnly, ctx({ offline: true }));
        assert.strictEqual(warnings.length, 1, "the offline plan shows the private endpoint as it is");
        assert.deepStrictEqual(unreachableClusters(catalogOf({ eks: { publicAccessCidrs: [RUNNER] } }, [EKS])), []);
        assert.deepStrictEqual(unreachableClusters(catalogOf({}, [{ name: "web", runtime: "fargate", port: 8080, image: "1" }])), []);
        assert.deepStrictEqual(unreachableClusters({ ...privateOnly, needsInput: [ITEM] }), [], "still asked for as needs-input: listed there once");
    });

    it("names the offline marker the same in the program and the preview tool", () => {
        assert.strictEqual(OFFLINE_PREVIEW_ENV, TOOL_ENV);
    });
});

describe("preflight through the program", function () {
    this.timeout(120_000);
    const dev = stackConfig("dev");

    it("pulumi up (not offline) refuses the shipped dev stack before any resource, listing every needs-input value", async () => {
        await assert.rejects(runPreview({ projectDir: ROOT, stack: "dev", mode: "up", stackConfig: dev, announceOffline: false }), (e: Error) => {
            assert.strictEqual(e.name, "NeedsInputError");
            assert.match(e.message, /stack 'dev' still needs 12 values only you can know; nothing was created/);
            assert.ok(e.message.includes("pulumi config set --stack dev --path 'aws:allowedAccountIds[0]' '<12-digit account id>'"), e.message);
            for (const p of ["aws:allowedAccountIds", "platform.eks.adminRoleArns", "platform.eks.viewRoleArns", "platform.eks.publicAccessCidrs", "platform.frontDoor.cognito.userPoolArn", "platform.frontDoor.jwt.jwks", "services[2].subscribers[0].principal (payments)", "services[1].external[0].serviceName (orders)", "services[2].secrets.LEDGER_DB_PASSWORD (payments)"]) {
                assert.ok(e.message.includes(`  ${p}:`), p);
            }
            assert.match(e.message, /pulumi config set --stack dev --path 'privatelink-platform:platform\.eks\.publicAccessCidrs\[0\]'/);
            return true;
        });
        assert.strictEqual(process.env[OFFLINE_PREVIEW_ENV], undefined, "the preview restores the environment");
    });

    it("pulumi preview (not offline) refuses the shipped dev stack while its account is needs-input, before the AWS provider reads the marker", async () => {
        await assert.rejects(runPreview({ projectDir: ROOT, stack: "dev", mode: "preview", stackConfig: dev, announceOffline: false }), (e: Error) => {
            assert.strictEqual(e.name, "NeedsInputError");
            assert.match(e.message, /stack 'dev' still needs 12 values only you can know; nothing was created.*the AWS provider reads aws:allowedAccountIds itself/);
            return true;
        });
    });

    it("pulumi preview (not offline) plans the shipped dev stack with its account set, without the other missing values", async () => {
        const result = await runPreview({ projectDir: ROOT, stack: "dev", mode: "preview", stackConfig: { ...dev, "aws:allowedAccountIds": [ACCOUNT_ID] }, announceOffline: false });
        const warned = (result.diagnostics ?? []).filter(d => d.severity === "warning").map(d => d.message);
        assert.ok(result.resources.length > 100);
        assert.strictEqual(result.needsInput.length, 11);
        // pulumi.log.warn, kept as the plan's diagnostics (the CLI prints them as warnings).
        assert.strictEqual(warned.length, 1, warned.join("\n"));
        assert.match(warned[0], /stack 'dev' still needs 11 values only you can know; this preview plans without them/);
    });

    for (const mode of ["up", "preview"] as const) {
        it(`the offline plan (--mode ${mode}) plans on, lists each value, and declares nothing that depends on one`, async () => {
            const result = await plan(dev, mode, "dev");
            assert.strictEqual(result.errors, undefined);
            assert.deepStrictEqual(result.needsInput.map(n => n.path).sort(), [
                "aws:allowedAccountIds",
                "platform.eks.adminRoleArns",
                "platform.eks.publicAccessCidrs",
                "platform.eks.viewRoleArns",
                "platform.frontDoor.cognito.userPoolArn",
                "platform.frontDoor.jwt.audiences",
                "platform.frontDoor.jwt.issuer",
                "platform.frontDoor.jwt.jwks",
                "services[1].external[0].serviceName",
                "services[2].secrets.LEDGER_DB_PASSWORD",
                "services[2].subscribers[0].principal",
                "services[2].subscribers[1].account",
            ]);
            assert.ok(!("needsInput" in result.outputs), "listed in its own field, not among the outputs");
            assert.deepStrictEqual(result.resources.filter(r => r.type === "aws:eks/accessEntry:AccessEntry").map(r => r.name), []);
            const cluster = result.resources.find(r => r.type === "eks:index:Cluster")!;
            assert.strictEqual(cluster.inputs.endpointPublicAccess, false);
            const text = renderText(result);
            assert.match(text, /Needs input \(12; planned as absent unless said; pulumi up refuses to start until each is set\):/);
            // The deploying account is planned as the account the offline cloud simulates, and the plan says so.
            assert.ok(text.includes(`- aws:allowedAccountIds: the 12-digit AWS account the dev environment deploys into\n      planned as: the simulated account ${ACCOUNT_ID}`), text);
            assert.match(text, /- services\[2\]\.subscribers\[0\]\.principal \(payments\): the partner role/);
        });
    }

    it("pulumi up refuses when the deploying principal is listed for an access entry", async () => {
        const caller = String(new FakeCloud({ region: "us-east-1" }).call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).arn);
        // The catalog would refuse the caller's ARN if the offline cloud's account were a documentation id.
        assert.ok(!isDocumentationAccount(ACCOUNT_ID), ACCOUNT_ID);
        // The dev catalog exposes services: its front door settings stay.
        const { frontDoor, zoneIds } = dev[`${PROJECT}:platform`] as { frontDoor: unknown; zoneIds: unknown };
        // Its zones by id stay too (a shard names another account).
        const config = { ...dev, [`${PROJECT}:platform`]: { eks: { adminRoleArns: [caller] }, frontDoor, zoneIds } };
        await assert.rejects(plan(config, "up", "dev"), (e: Error) => {
            assert.strictEqual(e.name, "CreatorListedError");
            assert.ok(e.message.includes(`platform.eks.adminRoleArns[0]: ${caller}`));
            return true;
        });
    });
});

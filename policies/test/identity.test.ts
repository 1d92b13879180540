import * as assert from "assert";
import { accountRefs } from "../lib/identity-walk";
import { arnAccount, environmentIdentity } from "../lib/identity";
import { withStackConfig } from "../lib/stack-config";
import { rec } from "./fixtures";
import { assertClean, assertTrips, inDays, mandatory, run } from "./helpers";

const RULE = "identity-accounts-declared";
const OWN = "210000000001";
const SHARD = "210000000002";
const PARTNER = "310000000003";
const STRANGER = "410000000004";
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const declared = { "aws:allowedAccountIds": [OWN], "privatelink-platform:shards": [{ name: "search", services: ["search"], account: SHARD }] };

describe("identity: the environment's accounts, declared", () => {
    it("builds the set from configuration only, with where each account was declared", async () => {
        const set = await withStackConfig(
            {
                ...declared,
                "aws:region": "us-east-1",
                "privatelink-platform:services": [{ name: "payments", allowedPrincipals: [`arn:aws:iam::${PARTNER}:role/recon`] }],
                "privatelink-platform:platform": { eks: { adminRoleArns: { needsInput: "admins" } } },
            },
            async () => environmentIdentity({ exceptions: [{ account: STRANGER, reason: "short", expires: inDays(10) }] }),
        );
        assert.strictEqual(set.accounts.get(OWN), "aws:allowedAccountIds");
        assert.strictEqual(set.accounts.get(SHARD), "shards[search].account");
        assert.strictEqual(set.accounts.get(PARTNER), "services[payments].allowedPrincipals");
        assert.ok(set.accounts.get("127311923021")?.startsWith("AWS-owned"), "the Region's ELB log-delivery account");
        assert.ok(set.deployingDeclared);
        assert.deepStrictEqual(set.pending, ["platform.eks.adminRoleArns"]);
        assert.match(set.exceptions[0].problem ?? "", /no reason/);
    });

    it("reads accounts wherever a resource names them: ARNs, principals, conditions, nested JSON documents", () => {
        assert.strictEqual(arnAccount("arn:aws:iam::*:role/ci"), "*");
        assert.strictEqual(arnAccount("arn:aws:s3:::bucket"), "");
        const inner = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": STRANGER } } });
        const refs = accountRefs({
            policy: inner,
            nested: { documents: [JSON.stringify({ policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${PARTNER}:root` }, Action: "s3:GetObject" }) })] },
            assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci-*" } } }),
            topic: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:events:us-east-1:${STRANGER}:rule/x` } } }),
            perimeter: doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": [OWN, STRANGER] } } }),
            restricts: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: "*", Condition: { StringNotEquals: { "aws:SourceAccount": STRANGER } } }),
            principalArn: `arn:aws:iam::${PARTNER}:role/admin`,
            ownerId: STRANGER,
            port: 123456789012,
            tags: { owner: `arn:aws:iam::${STRANGER}:role/x` },
        });
        const shown = refs.map((r) => `${r.path} ${r.account} ${r.how}`).sort();
        assert.deepStrictEqual(shown, [
            `assumeRolePolicy.Statement[0].Condition.ArnLike.aws:PrincipalArn * condition aws:PrincipalArn`,
            `nested.documents[0].policy.Statement[0].Principal.AWS ${PARTNER} principal`,
            `ownerId ${STRANGER} account id`,
            `perimeter.Statement[0].Condition.StringNotEquals.aws:PrincipalAccount ${OWN} condition aws:PrincipalAccount`,
            `perimeter.Statement[0].Condition.StringNotEquals.aws:PrincipalAccount ${STRANGER} condition aws:PrincipalAccount`,
            `policy.Statement[0].Condition.StringEquals.kms:CallerAccount ${STRANGER} condition kms:CallerAccount`,
            `principalArn ${PARTNER} ARN`,
            `restricts.Statement[0].Principal.AWS ${OWN} principal`,
            `topic.Statement[0].Condition.ArnEquals.aws:SourceArn ${STRANGER} condition aws:SourceArn`,
        ]);
    });

    it(`${RULE}: a key grant by kms:CallerAccount, an access entry and a provider role in an undeclared account are refused; declared ones pass`, async () => {
        const key = rec("aws:kms/key:Key", "platform", { policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": STRANGER } } }) });
        const entry = rec("aws:eks/accessEntry:AccessEntry", "search-ops", { clusterName: "search", principalArn: `arn:aws:iam::${STRANGER}:role/ops` });
        const provider = rec("pulumi:providers:aws", "elsewhere", { assumeRole: { roleArn: `arn:aws:iam::${STRANGER}:role/deployer` } });
        const vs = await run([key, entry, provider], [RULE], { stackConfig: declared });
        assertTrips(vs, RULE, `"platform"`, "kms:CallerAccount", STRANGER, OWN);
        assertTrips(vs, RULE, `"search-ops"`, "principalArn", STRANGER);
        assertTrips(vs, RULE, `"elsewhere"`, "assumeRole.roleArn", STRANGER);
        // Declared through the catalog, or as a reasoned, expiring exception: clean.
        const withPartner = { ...declared, "privatelink-platform:services": [{ name: "search", allowedPrincipals: [`arn:aws:iam::${STRANGER}:root`] }] };
        assertClean(await run([key, entry, provider], [RULE], { stackConfig: withPartner }));
        const excepted = { [RULE]: { exceptions: [{ account: STRANGER, reason: "the partner's audit role, contract 2026-114", expires: inDays(30) }] } };
        assertClean(await run([key, entry, provider], [RULE], { stackConfig: declared, config: excepted }));
        // An exception without an expiry excepts nothing, and is reported.
        const bad = { [RULE]: { exceptions: [{ account: STRANGER, reason: "the partner's audit role, contract 2026-114" }] } };
        const vb = mandatory(await run([key], [RULE], { stackConfig: declared, config: bad }));
        assert.strictEqual(vb.length, 2, JSON.stringify(vb));
    });

    it(`${RULE}: a wildcard account refuses even when every named account is declared`, async () => {
        const role = rec("aws:iam/role:Role", "ci", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci" } } }) });
        assertTrips(await run([role], [RULE], { stackConfig: declared }), RULE, "any account", "aws:PrincipalArn");
    });

    it(`${RULE}: a stack that declares no deploying account gets exactly one violation, naming the key and the command that sets it`, async () => {
        const own = rec("aws:iam/role:Role", "task", {}, { outputs: { arn: `arn:aws:iam::${OWN}:role/task` } });
        const grant = rec("aws:sqs/queuePolicy:QueuePolicy", "q", { policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: "sqs:*" }) });
        const partner = rec("aws:sqs/queuePolicy:QueuePolicy", "p", { policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "sqs:*" }) });
        for (const mode of ["preview", "up"] as const) {
            const vs = mandatory(await run([own, grant, partner], undefined, { mode }));
            assert.strictEqual(vs.length, 1, JSON.stringify(vs));
            assert.strictEqual(vs[0].policy, RULE);
            assert.ok(!vs[0].urn, "a finding of the stack, not of a resource");
            assert.ok(vs[0].message.includes("aws:allowedAccountIds is not set"), vs[0].message);
            assert.ok(vs[0].message.includes("Fix: pulumi config set --path 'aws:allowedAccountIds[0]' <id>"), vs[0].message);
        }
        // Left as { needsInput }, it is the same one violation, and the fix removes the marker first.
        const marker = mandatory(await run([own, grant], undefined, { stackConfig: { "aws:allowedAccountIds": { needsInput: "the account" } } }));
        assert.strictEqual(marker.length, 1, JSON.stringify(marker));
        assert.ok(marker[0].message.includes("still { needsInput: ... }"), marker[0].message);
        assert.ok(marker[0].message.includes("pulumi config rm --path 'aws:allowedAccountIds' && pulumi config set --path 'aws:allowedAccountIds[0]' <id>"), marker[0].message);
        // Declared, the same plan is judged: the stranger's grant is the violation.
        const judged = mandatory(await run([own, grant, partner], [RULE], { stackConfig: { "aws:allowedAccountIds": [OWN] } }));
        assert.deepStrictEqual(judged.map((v) => v.urn?.split("::").pop()), ["p"]);
    });

    it(`${RULE}: a resource created through a provider in another account never makes that account own`, async () => {
        const own = rec("aws:iam/role:Role", "task", {}, { outputs: { arn: `arn:aws:iam::${OWN}:role/task` } });
        const elsewhere = rec("aws:cloudwatch/logGroup:LogGroup", "copy", {}, { outputs: { arn: `arn:aws:logs:us-east-1:${STRANGER}:log-group:copy` } });
        elsewhere.options = { ...elsewhere.options!, provider: "urn:pulumi:dev::privatelink-platform::pulumi:providers:aws::elsewhere" };
        const trusting = rec("aws:iam/role:Role", "reader", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "sts:AssumeRole" }) });
        assertTrips(await run([own, elsewhere, trusting], [RULE], { stackConfig: { "aws:allowedAccountIds": [OWN] } }), RULE, `"reader"`, STRANGER);
    });
});

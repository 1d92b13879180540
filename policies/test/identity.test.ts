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

    it(`${RULE}: without a declared account, the deploying account is the one AWS assigned to what the default provider created, never an explicit provider's`, async () => {
        const own = rec("aws:iam/role:Role", "task", {}, { outputs: { arn: `arn:aws:iam::${OWN}:role/task` } });
        const grant = rec("aws:sqs/queuePolicy:QueuePolicy", "q", { policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWN}:root` }, Action: "sqs:*" }) });
        const vs = await run([own, grant], [RULE]);
        assertClean(vs);
        // A log group created through a provider in another account: its ARN does not make that account own.
        const elsewhere = { ...rec("aws:cloudwatch/logGroup:LogGroup", "copy", {}, { outputs: { arn: `arn:aws:logs:us-east-1:${STRANGER}:log-group:copy` } }) };
        elsewhere.options = { ...elsewhere.options!, provider: "urn:pulumi:dev::privatelink-platform::pulumi:providers:aws::elsewhere" };
        assertTrips(await run([own, grant, elsewhere], [RULE]), RULE, `"copy"`, STRANGER);
        // In preview the assigned account is unknown: the engine reports the rule as deferred.
        const pending = rec("aws:iam/role:Role", "task", {}, { outputs: { arn: "<unknown>" } });
        const pv = await run([pending, grant], [RULE], { mode: "preview" });
        assert.ok(pv.some((v) => v.policy === RULE && /during preview/.test(v.message)), JSON.stringify(pv));
    });
});

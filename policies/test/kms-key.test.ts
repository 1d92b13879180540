import * as assert from "assert";
import { rec } from "./fixtures";
import { assertClean, assertTrips, mandatory, run } from "./helpers";

const P = "kms-key-no-delegated-administration";
const ROOT = "arn:aws:iam::111111111111:root";
const ROLE_ARN = "arn:aws:iam::111111111111:role/orders-task-role";

function keyWith(statements: unknown[]) {
    return rec("aws:kms/key:Key", "platform-key", { enableKeyRotation: true, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
}

const ACCOUNT_ADMINISTERS = { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: ROOT }, Action: "kms:*", Resource: "*" };
const LOGS = { Sid: "CloudWatchLogs", Effect: "Allow", Principal: { Service: "logs.us-east-1.amazonaws.com" }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], Resource: "*" };

function roleWith(statements: unknown[]) {
    const role = rec("aws:iam/role:Role", "orders-task-role", { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }) });
    const policy = rec("aws:iam/rolePolicy:RolePolicy", "orders-task-policy", { role: "<unknown>", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, { deps: { role } });
    return [role, policy];
}

describe("kms-key-no-delegated-administration", () => {
    it("admits the account root's administration, AWS services' use, and a workload's use of the key", async () => {
        const use = { Sid: "UseKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "arn:aws:kms:us-east-1:111111111111:key/abc" };
        const awsGrants = { Sid: "EbsGrants", Effect: "Allow", Action: "kms:CreateGrant", Resource: "*", Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } };
        assertClean(await run([keyWith([ACCOUNT_ADMINISTERS, LOGS]), ...roleWith([use, awsGrants])], [P]), P);
    });

    it("refuses a key policy that lets a workload's role change the policy or grant the key on", async () => {
        const delegated = { Sid: "TaskManagesKey", Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: ["kms:PutKeyPolicy", "kms:CreateGrant", "kms:Decrypt"], Resource: "*" };
        const vs = mandatory(await run([keyWith([ACCOUNT_ADMINISTERS, delegated])], [P]));
        assertTrips(vs, P, "platform-key", "TaskManagesKey", ROLE_ARN, "kms:PutKeyPolicy, kms:CreateGrant", "Fix:");
    });

    it("refuses a permission document of the plan granting key administration on any key, by wildcard, key pattern or NotAction", async () => {
        const wildcard = { Sid: "KeyOps", Effect: "Allow", Action: "kms:*", Resource: "*" };
        assertTrips(mandatory(await run([keyWith([ACCOUNT_ADMINISTERS]), ...roleWith([wildcard])], [P])), P, "orders-task-policy", "KeyOps", "kms:PutKeyPolicy");
        const regrant = { Sid: "Regrant", Effect: "Allow", Action: "kms:CreateGrant", Resource: "arn:aws:kms:us-east-1:111111111111:key/*" };
        assertTrips(mandatory(await run([keyWith([ACCOUNT_ADMINISTERS]), ...roleWith([regrant])], [P])), P, "Regrant", "kms:CreateGrant");
        const notAction = { Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" };
        assertTrips(mandatory(await run([keyWith([ACCOUNT_ADMINISTERS]), ...roleWith([notAction])], [P])), P, "AllButIam", "kms:ScheduleKeyDeletion");
    });

    it("in preview, a key policy only `up` knows defers the rule", async () => {
        const key = rec("aws:kms/key:Key", "platform-key", { policy: "<unknown>" });
        const vs = await run([key], [P], { mode: "preview" });
        assert.ok(vs.some((v) => v.policy === P && /during preview/.test(v.message)), JSON.stringify(vs.map((v) => v.message)));
    });
});

/**
 * Red-team cases for the stores services own and what invokes a function,
 * each a realistic edit to the program, planned offline and judged by the
 * real pack in both modes, in the one-stack program and in a shard stack
 * (`dev.messaging`, which holds notifier's job queue and its trigger). Each
 * targets a promise:
 *
 * - "nothing a service owns is stored unencrypted, or under a key the
 *   platform does not hold" (a queue, topic, table or bucket without the
 *   stack's key);
 * - "no store is public" (a bucket's public access block turned off, or left
 *   out so the stack no longer holds AWS's default; a bucket policy admitting
 *   everyone);
 * - "no store is readable by anyone the catalog did not name" (a grant on a
 *   store that is not one of the stack's, or on every store at once);
 * - "only the catalog's triggers invoke a function" (a schedule, a bucket's
 *   events, the whole account, or a queue nobody declared as a trigger).
 */
import * as assert from "assert";
import { plan, PROJECT, stackConfig } from "../helpers";
import { Edit, RedTeamCase, redTeamCatalog } from "./harness";
import { redTeamSuite } from "./run";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const ENCRYPTED = "data-stores-encrypted";
const NAMED = "data-grants-name-stores";
const TRIGGERS = "lambda-invoked-by-declared-triggers";
const PUBLIC = "resource-policy-no-foreign-principal";
const BLOCKED = "data-buckets-public-access-blocked";

/** The red-team catalog with orders owning one store of each type, web reading the table, notifier consuming the queue as its trigger. */
function withStores(): Record<string, unknown> {
    const config = redTeamCatalog();
    const services = (config[`${PROJECT}:services`] as Record<string, unknown>[]).map(s => {
        switch (s.name) {
            case "orders": return { ...s, data: [{ name: "orders", type: "dynamodb" }, { name: "events", type: "sqs" }, { name: "exports", type: "s3" }, { name: "changes", type: "sns" }] };
            case "web": return { ...s, uses: [{ service: "orders", data: "orders", access: "read" }] };
            case "notifier": return { ...s, uses: [{ service: "orders", data: "events", access: "consume" }], triggers: [{ queue: { service: "orders", data: "events" } }] };
            default: return s;
        }
    });
    return { ...config, [`${PROJECT}:services`]: services };
}

const SHARD = "dev.messaging";

/** Code added to every ECS service's task roles (components/runtimes/ecs.ts), with `taskRole`, `name`, `opts` in scope. */
const inEcsTask = (code: string): Edit[] => [{ file: "components/runtimes/ecs.ts", before: "    return { logGroup, executionRole, taskRole };", insert: `${code}\n` }];
/** A role policy of one statement on every ECS task role. */
const taskGrant = (id: string, action: string, resource: string): Edit[] =>
    inEcsTask(`    new aws.iam.RolePolicy(\`\${name}-${id}\`, { role: taskRole.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ${JSON.stringify(action)}, Resource: ${JSON.stringify(resource)} }] }) }, opts);`);
/** Code added to every service's triggers (components/serviceTriggers.ts), with `name`, `args`, `parent` in scope. */
const inTriggers = (code: string): Edit[] => [{ file: "components/serviceTriggers.ts", before: "        this.registerOutputs({});", insert: `${code}\n` }];

const unencryptedQueue: Edit[] = [{ file: "components/serviceData.ts", replace: ["                    kmsMasterKeyId: args.kmsKeyArn,\n                    visibilityTimeoutSeconds", "                    visibilityTimeoutSeconds"] }];
const undeclaredSchedule = inTriggers(
    "        const extra = new aws.cloudwatch.EventRule(`${name}-nightly`, { scheduleExpression: \"cron(0 3 * * ? *)\" }, parent);\n" +
    "        new aws.lambda.Permission(`${name}-nightly`, { action: \"lambda:InvokeFunction\", function: args.function.name, principal: \"events.amazonaws.com\", sourceArn: extra.arn, sourceAccount: args.account.accountId }, parent);\n" +
    "        new aws.cloudwatch.EventTarget(`${name}-nightly`, { rule: extra.name, targetId: \"function\", arn: args.function.arn }, parent);",
);

const program: RedTeamCase[] = [
    { name: "orders' queue created without its key", edits: unencryptedQueue, expect: ENCRYPTED },
    { name: "orders' topic created without its key", edits: [{ file: "components/serviceData.ts", replace: ["{ name: physical, kmsMasterKeyId: args.kmsKeyArn, tags }", "{ name: physical, tags }"] }], expect: ENCRYPTED },
    { name: "orders' queue under the AWS managed key alias/aws/sqs", edits: [{ file: "components/serviceData.ts", replace: ["                    kmsMasterKeyId: args.kmsKeyArn,\n                    visibilityTimeoutSeconds", "                    kmsMasterKeyId: \"alias/aws/sqs\",\n                    visibilityTimeoutSeconds"] }], expect: ENCRYPTED },
    { name: "orders' table left to DynamoDB's AWS owned key", edits: [{ file: "components/serviceData.ts", replace: ["serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },", "serverSideEncryption: { enabled: false },"] }], expect: ENCRYPTED },
    { name: "orders' bucket encrypted with S3 managed keys (SSE-S3)", edits: [{ file: "components/serviceData.ts", replace: ["sseAlgorithm: \"aws:kms\", kmsMasterKeyId: args.kmsKeyArn", "sseAlgorithm: \"AES256\""] }], expect: ENCRYPTED },
    { name: "orders' bucket with its public access block turned off", edits: [{ file: "components/serviceData.ts", replace: ["                    blockPublicPolicy: true,", "                    blockPublicPolicy: false,"] }], expect: PUBLIC },
    {
        name: "orders' bucket created without a public access block the stack holds",
        edits: [{ file: "components/serviceData.ts", replace: ["                new aws.s3.BucketPublicAccessBlock(id, {", "                if (Date.now() < 0) new aws.s3.BucketPublicAccessBlock(id, {"] }],
        expect: BLOCKED,
    },
    {
        name: "orders' bucket policy lets everyone read its objects",
        edits: [{ file: "components/serviceData.ts", after: "    const statements: PolicyStatement[] = allows.map(a => ({\n        Sid: a.sid,\n        Effect: \"Allow\",\n        Principal: { AWS: a.roleArn },\n        Action: a.actions,\n        Resource: resources,\n    }));", insert: "\n    if (type === \"s3\") statements.push({ Sid: \"Public\", Effect: \"Allow\", Principal: \"*\", Action: [\"s3:GetObject\"], Resource: resources });" }],
        expect: PUBLIC,
        previewMayDefer: true,
    },
    { name: "every ECS task role may read a bucket the catalog does not know", edits: taskGrant("archive", "s3:GetObject", "arn:aws:s3:::acme-archive/*"), expect: NAMED },
    { name: "every ECS task role may read every table", edits: taskGrant("tables", "dynamodb:GetItem", "*"), expect: NAMED },
    { name: "a schedule nobody declared invokes notifier", edits: undeclaredSchedule, expect: TRIGGERS },
    {
        name: "any bucket's events may invoke notifier",
        edits: inTriggers("        new aws.lambda.Permission(`${name}-uploads`, { action: \"lambda:InvokeFunction\", function: args.function.name, principal: \"s3.amazonaws.com\", sourceArn: \"arn:aws:s3:::acme-uploads\", sourceAccount: args.account.accountId }, parent);"),
        expect: TRIGGERS,
    },
    {
        name: "every principal of the account may invoke notifier",
        edits: inTriggers("        new aws.lambda.Permission(`${name}-account`, { action: \"lambda:InvokeFunction\", function: args.function.name, principal: args.account.accountId, sourceArn: args.function.arn }, parent);"),
        expect: TRIGGERS,
    },
    {
        name: "notifier polls the dead-letter queue it has no trigger for",
        edits: [{ file: "components/serviceTriggers.ts", replace: ["                    eventSourceArn: queue.arn,", "                    eventSourceArn: pulumi.interpolate`arn:${args.account.partition}:sqs:${args.account.region}:${args.account.accountId}:dev-orders-events-dlq`,"] }],
        expect: TRIGGERS,
        previewMayDefer: true,
    },
];

const shard: RedTeamCase[] = [
    { name: "notifier's job queue created without its key", edits: unencryptedQueue, expect: ENCRYPTED },
    { name: "notifications' task role may send to every queue of the account", edits: taskGrant("queues", "sqs:SendMessage", "*"), expect: NAMED },
    {
        name: "notifications' task role may read storefront's orders table",
        edits: taskGrant("orders", "dynamodb:GetItem", `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/dev-orders-orders`),
        expect: NAMED,
    },
    { name: "a schedule nobody declared invokes notifier", edits: undeclaredSchedule, expect: TRIGGERS },
];

redTeamSuite("red team: stores and triggers", program.map(c => ({ ...c, stackConfig: withStores() })));
redTeamSuite(`red team: stores and triggers in the shard ${SHARD}`, shard.map(c => ({ ...c, name: `${SHARD}: ${c.name}`, stack: SHARD, stackConfig: stackConfig(SHARD) })));

describe("red team: stores and triggers, unedited", function () {
    this.timeout(120_000);
    it("the catalog the cases edit plans without a finding of the rules, so each finding is the edit's", async () => {
        const r = await plan(withStores(), "up");
        assert.deepStrictEqual(r.violations.filter(v => v.enforcementLevel === "mandatory").map(v => `${v.policy}: ${v.message}`), []);
        for (const type of ["aws:s3/bucket:Bucket", "aws:sns/topic:Topic", "aws:dynamodb/table:Table", "aws:lambda/eventSourceMapping:EventSourceMapping"]) {
            assert.ok(r.resources.some(x => x.type === type), type);
        }
    });
});

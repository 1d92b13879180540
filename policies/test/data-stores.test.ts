/**
 * The rules on stores and triggers, compliant and non-compliant, on
 * hand-built records: a catalog where orders owns a queue, a topic, a table
 * and a bucket, and notifier (Lambda) is triggered by that queue and a
 * schedule.
 */
import * as assert from "assert";
import { ResourceRecord } from "../evaluate";
import { ACCOUNT, rec, svcTags } from "./fixtures";
import { assertClean, assertTrips, mandatory, run } from "./helpers";

const P = "privatelink-platform";
const REGION = "us-east-1";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1111-2222`;
const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:dev-orders-events`;
const TABLE_ARN = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/dev-orders-orders`;
const BUCKET = `dev-orders-exports-${ACCOUNT}`;

const CATALOG = [
    {
        name: "orders", runtime: "fargate", port: 8080, image: "1.0.0",
        data: [{ name: "events", type: "sqs" }, { name: "changes", type: "sns" }, { name: "orders", type: "dynamodb" }, { name: "exports", type: "s3" }],
    },
    {
        name: "notifier", runtime: "lambda", port: 8080, function: { code: "services/notifier" },
        uses: [{ service: "orders", data: "events", access: "consume" }],
        triggers: [{ queue: { service: "orders", data: "events" } }, { schedule: "rate(5 minutes)" }],
    },
];
const stackConfig = { [`${P}:services`]: CATALOG, "aws:allowedAccountIds": [ACCOUNT] };

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** The stores, roles, function and triggers as the platform plans them. */
function stack() {
    const o = svcTags("orders");
    // The platform's shared key (no service).
    const key = rec("aws:kms/key:Key", "platform-key", {}, { outputs: { arn: KEY_ARN } });
    const dlq = rec("aws:sqs/queue:Queue", "orders-events-dlq", { name: "dev-orders-events-dlq", kmsMasterKeyId: KEY_ARN, tags: { ...o, "privatelink:data": "events-dlq" } }, { deps: { kmsMasterKeyId: key }, outputs: { arn: `${QUEUE_ARN}-dlq` } });
    const queue = rec("aws:sqs/queue:Queue", "orders-events", { name: "dev-orders-events", kmsMasterKeyId: KEY_ARN, tags: { ...o, "privatelink:data": "events" } }, { deps: { kmsMasterKeyId: key }, outputs: { arn: QUEUE_ARN } });
    const topic = rec("aws:sns/topic:Topic", "orders-changes", { name: "dev-orders-changes", kmsMasterKeyId: KEY_ARN, tags: { ...o, "privatelink:data": "changes" } }, { deps: { kmsMasterKeyId: key } });
    const table = rec("aws:dynamodb/table:Table", "orders-orders", { name: "dev-orders-orders", serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN }, tags: { ...o, "privatelink:data": "orders" } }, { deps: { serverSideEncryption: key }, outputs: { arn: TABLE_ARN } });
    const bucket = rec("aws:s3/bucket:Bucket", "orders-exports", { bucket: BUCKET, tags: { ...o, "privatelink:data": "exports" } }, { outputs: { arn: `arn:aws:s3:::${BUCKET}` } });
    const sse = rec("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "orders-exports", {
        bucket: BUCKET, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }],
    }, { deps: { bucket, rules: key } });
    const block = rec("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "orders-exports", { bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { deps: { bucket } });
    const ordersRole = rec("aws:iam/role:Role", "orders-task", { tags: o }, { outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/orders-task` } });
    const ordersNeeds = rec("aws:iam/rolePolicy:RolePolicy", "orders-needs", {
        role: "orders-task",
        policy: doc(
            { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: [TABLE_ARN] },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
        ),
    }, { deps: { role: ordersRole } });

    const n = svcTags("notifier");
    const fnRole = rec("aws:iam/role:Role", "notifier-fn", { tags: n }, { outputs: { arn: `arn:aws:iam::${ACCOUNT}:role/notifier-fn` } });
    const failures = rec("aws:sqs/queue:Queue", "notifier-dlq", { name: "notifier-dlq-1a2b", kmsMasterKeyId: KEY_ARN, tags: n }, { deps: { kmsMasterKeyId: key } });
    const fnPolicy = rec("aws:iam/rolePolicy:RolePolicy", "notifier-fn", { role: "notifier-fn", policy: doc({ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:notifier-dlq-1a2b` }) }, { deps: { role: fnRole } });
    const fn = rec("aws:lambda/function:Function", "notifier-fn", { name: "dev-notifier", tags: n }, { outputs: { arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dev-notifier` } });
    const group = rec("aws:lb/targetGroup:TargetGroup", "notifier-fn", { targetType: "lambda", tags: n }, { outputs: { arn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/notifier-fn/1` } });
    const albInvoke = rec("aws:lambda/permission:Permission", "notifier-alb-invoke", {
        action: "lambda:InvokeFunction", function: "dev-notifier", principal: "elasticloadbalancing.amazonaws.com", sourceArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/notifier-fn/1`, sourceAccount: ACCOUNT,
    }, { deps: { function: fn, sourceArn: group } });
    const mapping = rec("aws:lambda/eventSourceMapping:EventSourceMapping", "notifier-orders-events", { eventSourceArn: QUEUE_ARN, functionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dev-notifier`, tags: n }, { deps: { eventSourceArn: queue, functionName: fn } });
    const rule = rec("aws:cloudwatch/eventRule:EventRule", "notifier-rate-5-minutes", { scheduleExpression: "rate(5 minutes)", tags: n }, { outputs: { arn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r5` } });
    const ruleInvoke = rec("aws:lambda/permission:Permission", "notifier-rate-5-minutes", {
        action: "lambda:InvokeFunction", function: "dev-notifier", principal: "events.amazonaws.com", sourceArn: `arn:aws:events:${REGION}:${ACCOUNT}:rule/r5`, sourceAccount: ACCOUNT,
    }, { deps: { function: fn, sourceArn: rule } });
    const target = rec("aws:cloudwatch/eventTarget:EventTarget", "notifier-rate-5-minutes", { rule: "r5", arn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:dev-notifier` }, { deps: { rule, arn: fn } });

    const all = [key, dlq, queue, topic, table, bucket, sse, block, ordersRole, ordersNeeds, fnRole, failures, fnPolicy, fn, group, albInvoke, mapping, rule, ruleInvoke, target];
    return { all, key, queue, topic, table, bucket, sse, block, ordersRole, fnRole, fn, rule };
}

const RULES = ["data-stores-encrypted", "data-buckets-public-access-blocked", "data-grants-name-stores", "lambda-invoked-by-declared-triggers"];

function replace(all: ResourceRecord[], name: string, type: string, inputs: Record<string, unknown>, deps?: Record<string, string[]>): ResourceRecord[] {
    return all.map((r) => (r.name === name && r.type === type ? { ...r, inputs: { ...r.inputs, ...inputs }, propertyDependencies: deps ? { ...r.propertyDependencies, ...deps } : r.propertyDependencies } : r));
}

const check = (records: ResourceRecord[], mode: "up" | "preview" = "up") => run(records, RULES, { mode, stackConfig });

describe("stores and triggers: compliant and non-compliant", () => {
    it("the platform's stores, grants and triggers pass every rule", async () => {
        assertClean(await check(stack().all));
    });

    it("data-stores-encrypted: no key, an AWS managed key, an AWS owned key, SSE-S3, another service's key", async () => {
        const { all } = stack();
        assertTrips(await check(replace(all, "orders-events", "aws:sqs/queue:Queue", { kmsMasterKeyId: undefined }, { kmsMasterKeyId: [] })), "data-stores-encrypted", "orders-events", "queue of orders", "names no key");
        assertTrips(await check(replace(all, "orders-changes", "aws:sns/topic:Topic", { kmsMasterKeyId: "alias/aws/sns" }, { kmsMasterKeyId: [] })), "data-stores-encrypted", "orders-changes", "alias/aws/sns", "no key this stack creates");
        assertTrips(await check(replace(all, "orders-orders", "aws:dynamodb/table:Table", { serverSideEncryption: { enabled: false } }, { serverSideEncryption: [] })), "data-stores-encrypted", "orders-orders", "DynamoDB then uses a key it owns");
        assertTrips(
            await check(replace(all, "orders-exports", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] })),
            "data-stores-encrypted", "orders-exports", '"AES256"', "not with a KMS key",
        );
        assertTrips(await check(stack().all.filter((r) => r.type !== "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")), "data-stores-encrypted", "orders-exports", "no default encryption");
        const other = rec("aws:kms/key:Key", "notifier-key", { tags: svcTags("notifier") }, { outputs: { arn: "arn:aws:kms:us-east-1:111111111111:key/other" } });
        assertTrips(await check([...replace(all, "orders-events", "aws:sqs/queue:Queue", {}, { kmsMasterKeyId: [other.urn] }), other]), "data-stores-encrypted", "orders-events", "notifier's key");
    });

    it("data-stores-encrypted: decided in preview from the key's reference while its ARN is unknown", async () => {
        const { all } = stack();
        const unknownArn = replace(all, "orders-events", "aws:sqs/queue:Queue", { kmsMasterKeyId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" });
        assertClean(await run(unknownArn, ["data-stores-encrypted"], { mode: "preview", stackConfig }));
    });

    it("data-buckets-public-access-blocked: a bucket without a block; the account's block covers it", async () => {
        const { all } = stack();
        const without = all.filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
        assertTrips(await check(without), "data-buckets-public-access-blocked", "orders-exports", "bucket of orders", "no public access block");
        const account = rec("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        assertClean(await check([...without, account]), "data-buckets-public-access-blocked");
    });

    it("data-grants-name-stores: a pattern, NotResource, a bucket that is no store; the platform's own queue passes", async () => {
        const { all, ordersRole } = stack();
        const grant = (Statement: unknown) => [...all, rec("aws:iam/rolePolicy:RolePolicy", "orders-extra", { role: "orders-task", policy: doc(Statement) }, { deps: { role: ordersRole } })];
        assertTrips(await check(grant({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" })), "data-grants-name-stores", "orders-extra", "dynamodb:GetItem", "a pattern");
        assertTrips(await check(grant({ Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:dev-*` })), "data-grants-name-stores", "dev-*", "a pattern");
        assertTrips(await check(grant({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::x/*" })), "data-grants-name-stores", "NotResource");
        assertTrips(await check(grant({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::acme-archive/*" })), "data-grants-name-stores", "acme-archive is no s3 store of this stack");
        // A queue of the platform's (a function's failure queue) is a store of the stack: the platform's to grant.
        assertClean(await check(grant({ Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:notifier-dlq-1a2b` })), "data-grants-name-stores");
        // Actions of another service on the same ARN, or metadata reads alone, name no store.
        assertClean(await check(grant({ Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: "*" })), "data-grants-name-stores");
        assertClean(await check(grant({ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" })), "data-grants-name-stores");
    });

    it("data-grants-name-stores: a finding in preview survives another role's document unknown until up", async () => {
        const { all, ordersRole, fnRole } = stack();
        const unknown = rec("aws:iam/rolePolicy:RolePolicy", "notifier-later", { role: "notifier-fn", policy: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, { deps: { role: fnRole } });
        const planted = rec("aws:iam/rolePolicy:RolePolicy", "orders-extra", { role: "orders-task", policy: doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }) }, { deps: { role: ordersRole } });
        // The unknown document comes first in the plan: the rules read every document before judging any.
        const vs = await run([...all.slice(0, 1), unknown, ...all.slice(1), planted], ["data-grants-name-stores"], { mode: "preview", stackConfig });
        assertTrips(vs, "data-grants-name-stores", "orders-extra", "a pattern");
    });

    it("lambda-invoked-by-declared-triggers: another schedule, another principal, an event pattern, a queue that is no trigger", async () => {
        const { all, fn, queue } = stack();
        const extraRule = rec("aws:cloudwatch/eventRule:EventRule", "notifier-nightly", { scheduleExpression: "cron(0 3 * * ? *)", tags: svcTags("notifier") });
        const invoke = (principal: string, sourceArnDep?: ResourceRecord, sourceArn: string = "arn:aws:events:us-east-1:111111111111:rule/x") =>
            rec("aws:lambda/permission:Permission", "notifier-extra", { action: "lambda:InvokeFunction", function: "dev-notifier", principal, sourceArn }, { deps: { function: fn, ...(sourceArnDep ? { sourceArn: sourceArnDep } : {}) } });
        assertTrips(await check([...all, extraRule, invoke("events.amazonaws.com", extraRule, "04da6b54-80e4-46f7-96ec-b56ff0331ba9")], "preview"), "lambda-invoked-by-declared-triggers", "notifier-extra", "cron(0 3 * * ? *)", "rate(5 minutes)");
        assertTrips(await check([...all, invoke("s3.amazonaws.com", undefined, "arn:aws:s3:::acme-uploads")]), "lambda-invoked-by-declared-triggers", '"s3.amazonaws.com"', "no trigger of the catalog");
        assertTrips(await check([...all, invoke(ACCOUNT)]), "lambda-invoked-by-declared-triggers", `"${ACCOUNT}"`);
        assertTrips(await check([...all, invoke("apigateway.amazonaws.com")]), "lambda-invoked-by-declared-triggers", "no REST API of this stack");
        const pattern = replace(all, "notifier-rate-5-minutes", "aws:cloudwatch/eventRule:EventRule", { eventPattern: "{\"source\":[\"aws.s3\"]}" });
        assertTrips(await check(pattern), "lambda-invoked-by-declared-triggers", "matches events");
        const dlq = all.find((r) => r.name === "orders-events-dlq")!;
        const polled = replace(all, "notifier-orders-events", "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: `${QUEUE_ARN}-dlq` }, { eventSourceArn: [dlq.urn] });
        assertTrips(await check(polled), "lambda-invoked-by-declared-triggers", "orders's queue events-dlq", "they name orders/events");
        // An ARN derived from the queue but naming another: known after up.
        const derived = replace(all, "notifier-orders-events", "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: `${QUEUE_ARN}-dlq` }, { eventSourceArn: [queue.urn] });
        assertTrips(await check(derived), "lambda-invoked-by-declared-triggers", "events-dlq");
    });

    it("reports nothing without a catalog (a stack of another program)", async () => {
        const vs = await run(stack().all, ["data-grants-name-stores", "lambda-invoked-by-declared-triggers"], { stackConfig: {} });
        assert.deepStrictEqual(mandatory(vs), []);
    });
});

import * as assert from "assert";
import { catalogConfig, fargate, Graph, list, plan, Statement, statements } from "../helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT_ID}:secret:payments/ledger-AbC123`;

/**
 * orders owns a table, a queue, a bucket and a topic; web reads the table;
 * worker (Lambda) consumes the queue and reads a secret at run time; reports
 * reads the bucket and publishes to the topic;
 * payments (Fargate) gets a secret and a parameter injected by ECS; catalog
 * declares nothing.
 */
const services = [
    fargate("orders", {
        data: [
            { name: "orders", type: "dynamodb", hashKey: { name: "orderId", type: "S" } },
            { name: "events", type: "sqs", maxReceiveCount: 3 },
            { name: "exports", type: "s3" },
            { name: "changes", type: "sns" },
        ],
    }),
    fargate("web", { uses: [{ service: "orders", data: "orders", access: "read" }] }),
    { name: "worker", runtime: "lambda", port: 8080, function: { code: "services/notifier" }, uses: [{ service: "orders", data: "events", access: "consume" }], secrets: { API_KEY: SECRET },
        triggers: [{ queue: { service: "orders", data: "events" }, batchSize: 5 }, { schedule: "rate(5 minutes)" }] },
    fargate("payments", { secrets: { LEDGER: SECRET, PSP_KEY: { ssm: "/test/payments/psp" } } }),
    fargate("reports", { uses: [{ service: "orders", data: "exports", access: "read" }, { service: "orders", data: "changes", access: "write" }] }),
    fargate("catalog", {
        permissions: [{ actions: ["events:PutEvents"], resources: ["arn:{partition}:events:{region}:{account}:event-bus/test-catalog"], reason: "announces catalog changes" }],
        aws: [{ api: "events", reason: "PutEvents to the catalog bus" }],
    }),
];

function allowsOf(doc: unknown): Statement[] {
    return statements(doc).filter(s => s.Effect === "Allow");
}

describe("what a service needs: owned data, uses, secrets, endpoints", function () {
    this.timeout(180_000);
    let g: Graph;
    let roleArn: (component: string) => string;

    before(async () => {
        g = new Graph(await plan(catalogConfig(services, { protectStatefulResources: true }), "up"));
        const roles = new Map(g.ofType("aws:iam/role:Role").map(r => [r.name, String(r.outputs?.arn)]));
        roleArn = name => roles.get(name)!;
    });

    it("creates each store encrypted with the service's key, named from the environment, protected", () => {
        const key = String(g.ofType("aws:kms/key:Key")[0].outputs?.arn);
        const table = g.one("aws:dynamodb/table:Table", "orders-orders");
        assert.strictEqual(table.inputs?.name, "test-orders-orders");
        assert.deepStrictEqual(table.inputs?.pointInTimeRecovery, { enabled: true });
        assert.deepStrictEqual(table.inputs?.serverSideEncryption, { enabled: true, kmsKeyArn: key });
        assert.strictEqual(table.inputs?.deletionProtectionEnabled, true);
        assert.strictEqual(table.options?.protect, true);

        const queue = g.one("aws:sqs/queue:Queue", "orders-events");
        const dlq = g.one("aws:sqs/queue:Queue", "orders-events-dlq");
        assert.strictEqual(queue.inputs?.kmsMasterKeyId, key);
        assert.strictEqual(dlq.inputs?.kmsMasterKeyId, key);
        assert.deepStrictEqual(JSON.parse(String(queue.inputs?.redrivePolicy)), { deadLetterTargetArn: dlq.outputs?.arn, maxReceiveCount: 3 });

        const bucket = g.one("aws:s3/bucket:Bucket", "orders-exports");
        assert.strictEqual(bucket.inputs?.bucket, `test-orders-exports-${ACCOUNT_ID}`);
        const block = g.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "orders-exports");
        for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.strictEqual(block.inputs?.[k], true, k);
        assert.deepStrictEqual(g.one("aws:s3/bucketVersioning:BucketVersioning", "orders-exports").inputs?.versioningConfiguration, { status: "Enabled" });
        const sse = g.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "orders-exports").inputs?.rules as { applyServerSideEncryptionByDefault: Record<string, unknown> }[];
        assert.deepStrictEqual(sse[0].applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: key });
        assert.strictEqual(g.one("aws:sns/topic:Topic", "orders-changes").inputs?.kmsMasterKeyId, key);
    });

    it("admits on each store exactly the owner's role and the declared users' roles, TLS only", () => {
        const table = statements(g.one("aws:dynamodb/resourcePolicy:ResourcePolicy", "orders-orders").inputs?.policy);
        const allowed = table.filter(s => s.Effect === "Allow").map(s => (s.Principal as { AWS: string }).AWS).sort();
        assert.deepStrictEqual(allowed, [roleArn("orders-task"), roleArn("web-task")].sort());
        const webAllow = table.find(s => s.Effect === "Allow" && (s.Principal as { AWS: string }).AWS === roleArn("web-task"))!;
        assert.ok(list(webAllow.Action).every(a => !/Put|Update|Delete|BatchWrite/.test(a)), "web reads only");
        const deny = table.find(s => s.Sid === "OnlyDeclaredPrincipals")!;
        assert.deepStrictEqual([...(deny.Condition?.ArnNotEquals["aws:PrincipalArn"] as string[])].sort(), allowed);
        // The deploying role keeps reading the table's configuration (the provider's refresh calls DescribeTable).
        assert.ok(list(deny.Action).includes("dynamodb:GetItem") && !list(deny.Action).includes("dynamodb:DescribeTable"));

        const queue = statements(g.one("aws:sqs/queuePolicy:QueuePolicy", "orders-events").inputs?.policy);
        assert.deepStrictEqual(queue.filter(s => s.Effect === "Allow").map(s => (s.Principal as { AWS: string }).AWS).sort(), [roleArn("orders-task"), roleArn("worker-fn")].sort());
        const dlq = statements(g.one("aws:sqs/queuePolicy:QueuePolicy", "orders-events-dlq").inputs?.policy);
        assert.deepStrictEqual(dlq.filter(s => s.Effect === "Allow").map(s => (s.Principal as { AWS: string }).AWS), [roleArn("orders-task")]);

        const bucket = statements(g.one("aws:s3/bucketPolicy:BucketPolicy", "orders-exports").inputs?.policy);
        const tls = bucket.find(s => s.Sid === "TlsOnly")!;
        assert.strictEqual(tls.Effect, "Deny");
        assert.deepStrictEqual(tls.Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepStrictEqual(bucket.filter(s => s.Effect === "Allow").map(s => (s.Principal as { AWS: string }).AWS).sort(), [roleArn("orders-task"), roleArn("reports-task")].sort());
    });

    it("grants each application role what it declares and nothing else", () => {
        const policies = g.ofType("aws:iam/rolePolicy:RolePolicy").filter(r => r.name.endsWith("-needs"));
        assert.deepStrictEqual(policies.map(p => p.name).sort(), ["catalog-needs", "orders-needs", "reports-needs", "web-needs", "worker-needs"]);
        assert.deepStrictEqual(statements(g.one("aws:iam/rolePolicy:RolePolicy", "catalog-needs").inputs?.policy),
            [{ Sid: "Permission0", Effect: "Allow", Action: ["events:PutEvents"], Resource: [`arn:aws:events:us-east-1:${ACCOUNT_ID}:event-bus/test-catalog`] }]);
        const web = allowsOf(g.one("aws:iam/rolePolicy:RolePolicy", "web-needs").inputs?.policy);
        const tableArn = String(g.one("aws:dynamodb/table:Table", "orders-orders").outputs?.arn);
        const data = web.filter(s => !list(s.Action).some(a => a.startsWith("kms:")));
        assert.deepStrictEqual(data.map(s => list(s.Resource)), [[tableArn]]);
        assert.deepStrictEqual(list(data[0].Action), ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"]);
        const kms = web.find(s => list(s.Action).includes("kms:Decrypt"))!;
        assert.deepStrictEqual(kms.Condition, { StringEquals: { "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } });
        assert.ok(!list(kms.Action).some(a => /Encrypt$|GenerateDataKey/.test(a)), "a reader never encrypts");

        const worker = allowsOf(g.one("aws:iam/rolePolicy:RolePolicy", "worker-needs").inputs?.policy);
        assert.ok(worker.some(s => list(s.Action).includes("sqs:ReceiveMessage")));
        assert.ok(!worker.some(s => list(s.Action).includes("sqs:SendMessage")), "consume is not write");
        const read = worker.find(s => list(s.Action).includes("secretsmanager:GetSecretValue"))!;
        assert.deepStrictEqual(list(read.Resource), [SECRET]);
        const decrypt = worker.find(s => s.Sid === "DecryptOwnSecrets")!;
        assert.deepStrictEqual(decrypt.Condition?.ArnEquals, { "kms:EncryptionContext:SecretARN": [SECRET] });
    });

    /*
     * Nothing else granted: every grant of the plan on a store, a secret or a
     * function, collected from every policy document and resource policy, against
     * the catalog above written out by hand (the actions are the Service
     * Authorization Reference's, as docs/catalog.md#uses lists them per access).
     */
    const TABLE_READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"];
    const TABLE_OWNER = [...TABLE_READ, "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
    const QUEUE_CONSUME = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"];
    const QUEUE_OWNER = [...QUEUE_CONSUME, "sqs:SendMessage"];
    const BUCKET_READ = ["s3:GetObject", "s3:ListBucket"];
    const BUCKET_OWNER = [...BUCKET_READ, "s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"];
    const TOPIC_WRITE = ["sns:GetTopicAttributes", "sns:Publish"];
    const line = (who: string, what: string, actions: string[]) => `${who} -> ${what}: ${[...actions].sort().join(" ")}`;

    /** Labels for the ARNs a grant may name: the stores (a bucket's objects too), the secrets, the function's own failure queue. */
    function labels(): Map<string, string> {
        const arn = (type: string, name: string) => String(g.one(type, name).outputs?.arn);
        const bucket = arn("aws:s3/bucket:Bucket", "orders-exports");
        return new Map([
            [arn("aws:dynamodb/table:Table", "orders-orders"), "table orders/orders"],
            [arn("aws:sqs/queue:Queue", "orders-events"), "queue orders/events"],
            [arn("aws:sqs/queue:Queue", "orders-events-dlq"), "queue orders/events-dlq"],
            [bucket, "bucket orders/exports"],
            [`${bucket}/*`, "bucket orders/exports"],
            [arn("aws:sns/topic:Topic", "orders-changes"), "topic orders/changes"],
            [SECRET, "secret payments/ledger"],
            [`arn:aws:ssm:us-east-1:${ACCOUNT_ID}:parameter/test/payments/psp`, "parameter /test/payments/psp"],
            [arn("aws:sqs/queue:Queue", "worker-dlq"), "queue worker's failures"],
        ]);
    }

    it("grants on stores and secrets in IAM: exactly the catalog's, nothing else", () => {
        const names = labels();
        const STORE_OR_SECRET = /^(dynamodb|s3|sqs|sns|secretsmanager|ssm):/;
        const found = new Map<string, Set<string>>();
        for (const r of g.resources) {
            const docs = r.type === "aws:iam/role:Role"
                ? ((r.inputs?.inlinePolicies ?? []) as { policy: string }[]).map(p => p.policy)
                : /^aws:iam\/(rolePolicy:RolePolicy|policy:Policy)$/.test(r.type) ? [r.inputs?.policy] : [];
            for (const s of docs.flatMap(d => statements(d)).filter(x => x.Effect === "Allow")) {
                const actions = list(s.Action).filter(a => STORE_OR_SECRET.test(a));
                if (actions.length === 0) continue;
                for (const resource of list(s.Resource)) {
                    const key = `${r.name} -> ${names.get(resource) ?? resource}`;
                    const set = found.get(key) ?? new Set<string>();
                    actions.forEach(a => set.add(a));
                    found.set(key, set);
                }
            }
        }
        assert.deepStrictEqual([...found].map(([k, v]) => `${k}: ${[...v].sort().join(" ")}`).sort(), [
            line("orders-needs", "table orders/orders", TABLE_OWNER),
            line("orders-needs", "queue orders/events", QUEUE_OWNER),
            line("orders-needs", "bucket orders/exports", BUCKET_OWNER),
            line("orders-needs", "topic orders/changes", TOPIC_WRITE),
            line("web-needs", "table orders/orders", TABLE_READ),
            line("worker-needs", "queue orders/events", QUEUE_CONSUME),
            line("worker-needs", "secret payments/ledger", ["secretsmanager:GetSecretValue"]),
            line("worker-fn", "queue worker's failures", ["sqs:SendMessage"]),
            line("reports-needs", "bucket orders/exports", BUCKET_READ),
            line("reports-needs", "topic orders/changes", TOPIC_WRITE),
            line("payments-execution", "secret payments/ledger", ["secretsmanager:GetSecretValue"]),
            line("payments-execution", "parameter /test/payments/psp", ["ssm:GetParameters"]),
        ].sort());
    });

    it("grants in the stores' resource policies: exactly the catalog's, nothing else", () => {
        const names = labels();
        const roles = new Map(g.ofType("aws:iam/role:Role").map(r => [String(r.outputs?.arn), r.name]));
        const found: string[] = [];
        for (const type of ["aws:dynamodb/resourcePolicy:ResourcePolicy", "aws:s3/bucketPolicy:BucketPolicy", "aws:sqs/queuePolicy:QueuePolicy", "aws:sns/topicPolicy:TopicPolicy"]) {
            for (const r of g.ofType(type)) {
                // The stores' policies; the platform's own topics (PrivateLink connection notifications) admit vpce.amazonaws.com alone.
                for (const s of statements(r.inputs?.policy).filter(x => x.Effect === "Allow")) {
                    if (!list(s.Resource).some(x => names.has(x))) {
                        assert.deepStrictEqual([s.Principal, list(s.Action)], [{ Service: "vpce.amazonaws.com" }, ["SNS:Publish"]], `${r.name}: a policy on no store`);
                        continue;
                    }
                    const store = [...new Set(list(s.Resource).map(x => names.get(x) ?? x))].join(", ");
                    const principal = (s.Principal as { AWS?: string }).AWS ?? JSON.stringify(s.Principal);
                    found.push(line(roles.get(principal) ?? principal, store, list(s.Action)));
                }
            }
        }
        assert.deepStrictEqual(found.sort(), [
            line("orders-task", "table orders/orders", TABLE_OWNER),
            line("web-task", "table orders/orders", TABLE_READ),
            line("orders-task", "queue orders/events", QUEUE_OWNER),
            line("worker-fn", "queue orders/events", QUEUE_CONSUME),
            line("orders-task", "queue orders/events-dlq", QUEUE_OWNER),
            line("orders-task", "bucket orders/exports", BUCKET_OWNER),
            line("reports-task", "bucket orders/exports", BUCKET_READ),
            line("orders-task", "topic orders/changes", TOPIC_WRITE),
            line("reports-task", "topic orders/changes", TOPIC_WRITE),
        ].sort());
    });

    it("invokes the function only as the catalog says: its load balancer, its schedule, its queue", () => {
        const fn = g.one("aws:lambda/function:Function", "worker-fn");
        const invokers = g.ofType("aws:lambda/permission:Permission").filter(p => p.inputs?.function === fn.outputs?.name || p.inputs?.function === fn.outputs?.arn).map(p => `${p.name}: ${String(p.inputs?.principal)}`);
        assert.deepStrictEqual(invokers.sort(), ["worker-alb-invoke: elasticloadbalancing.amazonaws.com", "worker-rate-5-minutes: events.amazonaws.com"]);
        const mappings = g.ofType("aws:lambda/eventSourceMapping:EventSourceMapping").map(m => `${m.name}: ${labels().get(String(m.inputs?.eventSourceArn)) ?? String(m.inputs?.eventSourceArn)}`);
        assert.deepStrictEqual(mappings, ["worker-orders-events: queue orders/events"]);
        const targets = g.ofType("aws:cloudwatch/eventTarget:EventTarget").map(t => `${t.name} -> ${t.inputs?.arn === fn.outputs?.arn ? "worker" : String(t.inputs?.arn)}`);
        assert.deepStrictEqual(targets, ["worker-rate-5-minutes -> worker"]);
    });

    it("injects ECS secrets through the execution role, and hands Lambda the ARN", () => {
        const task = g.one("aws:ecs/taskDefinition:TaskDefinition", "payments-task");
        const container = JSON.parse(String(task.inputs?.containerDefinitions))[0] as { secrets: { name: string; valueFrom: string }[]; environment: { name: string }[] };
        const ssm = `arn:aws:ssm:us-east-1:${ACCOUNT_ID}:parameter/test/payments/psp`;
        assert.deepStrictEqual(container.secrets, [{ name: "LEDGER", valueFrom: SECRET }, { name: "PSP_KEY", valueFrom: ssm }]);
        assert.ok(!container.environment.some(e => e.name === "LEDGER"));
        const exec = allowsOf(g.one("aws:iam/rolePolicy:RolePolicy", "payments-execution").inputs?.policy);
        assert.deepStrictEqual(list(exec.find(s => s.Sid === "ReadOwnSecrets")!.Resource), [SECRET]);
        assert.deepStrictEqual(list(exec.find(s => s.Sid === "ReadOwnParameters")!.Resource), [ssm]);
        assert.ok(!g.ofType("aws:iam/rolePolicy:RolePolicy").some(r => r.name === "payments-needs"), "the task role gets nothing");

        const fn = g.one("aws:lambda/function:Function", "worker-fn");
        const vars = (fn.inputs?.environment as { variables: Record<string, string> }).variables;
        assert.strictEqual(vars.API_KEY_ARN, SECRET);
        assert.match(vars.ORDERS_EVENTS_QUEUE_URL, /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/\d{12}\/test-orders-events$/);
    });

    it("adds the endpoints the declarations imply, and no more", () => {
        const endpoints = (service: string) => g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .filter(e => Graph.serviceOf(e) === service && (e.inputs?.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service")
            .map(e => `${String(e.inputs?.serviceName).replace("com.amazonaws.us-east-1.", "")} ${String(e.inputs?.vpcEndpointType)}`).sort();
        assert.deepStrictEqual(endpoints("web"), ["dynamodb Gateway", "ecr.api Interface", "ecr.dkr Interface", "logs Interface", "s3 Gateway"]);
        assert.deepStrictEqual(endpoints("worker"), ["secretsmanager Interface", "sqs Interface"]);
        assert.deepStrictEqual(endpoints("catalog"), ["ecr.api Interface", "ecr.dkr Interface", "events Interface", "logs Interface", "s3 Gateway"]);
        assert.ok(endpoints("orders").includes("sns Interface") && endpoints("orders").includes("dynamodb Gateway"));
        assert.ok(endpoints("payments").includes("secretsmanager Interface") && endpoints("payments").includes("ssm Interface"));
    });

    it("limits the endpoints of the declared APIs to the declared stores and secrets", () => {
        const policyOf = (service: string, api: string) => statements(g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
            .find(e => Graph.serviceOf(e) === service && e.inputs?.serviceName === `com.amazonaws.us-east-1.${api}`)!.inputs?.policy);
        const tableArn = String(g.one("aws:dynamodb/table:Table", "orders-orders").outputs?.arn);
        const queueArn = String(g.one("aws:sqs/queue:Queue", "orders-events").outputs?.arn);
        assert.deepStrictEqual(policyOf("web", "dynamodb").map(s => list(s.Resource)), [[tableArn]]);
        assert.deepStrictEqual(policyOf("worker", "sqs").map(s => list(s.Resource)), [[queueArn]]);
        assert.deepStrictEqual(policyOf("worker", "secretsmanager").map(s => list(s.Resource)), [[SECRET]]);
        assert.deepStrictEqual(policyOf("orders", "sqs").map(s => list(s.Resource)), [[queueArn, `${queueArn}-dlq`]]);
        // S3: the declared buckets and their objects, and ECR's layer bucket for image pulls (ECR user guide,
        // "Minimum Amazon S3 bucket permissions for Amazon ECR"); a service that declares no bucket reaches layers alone.
        const bucketArn = `arn:aws:s3:::test-orders-exports-${ACCOUNT_ID}`;
        const layers = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*";
        assert.deepStrictEqual(policyOf("orders", "s3").map(s => [s.Sid, list(s.Resource)]), [["DeclaredResourcesOfThisAccount", [bucketArn, `${bucketArn}/*`]], ["EcrImageLayers", [layers]]]);
        assert.deepStrictEqual(policyOf("web", "s3").map(s => [s.Sid, list(s.Resource)]), [["EcrImageLayers", [layers]]], "web declares no bucket: image layers only");
        const events = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint").find(e => Graph.serviceOf(e) === "catalog" && e.inputs?.serviceName === "com.amazonaws.us-east-1.events")!;
        assert.strictEqual(events.inputs?.policy, undefined, "events is not in the endpoint-policy support table: AWS's default policy");
    });

    it("reaches the dynamodb gateway through its prefix list", () => {
        const sg = g.ofType("aws:ec2/securityGroup:SecurityGroup").find(s => s.name === "web-workload")!;
        const egress = sg.inputs?.egress as { description: string; prefixListIds?: string[] }[];
        assert.ok(egress.some(e => e.description === "dynamodb gateway endpoint" && (e.prefixListIds ?? []).length === 1), JSON.stringify(egress));
    });

    it("triggers the function from the queue it consumes, after its grant, and on its schedule, invoked by that rule only", () => {
        const mapping = g.one("aws:lambda/eventSourceMapping:EventSourceMapping", "worker-orders-events");
        assert.strictEqual(mapping.inputs?.eventSourceArn, g.one("aws:sqs/queue:Queue", "orders-events").outputs?.arn);
        assert.strictEqual(mapping.inputs?.functionName, g.one("aws:lambda/function:Function", "worker-fn").outputs?.arn);
        assert.strictEqual(mapping.inputs?.batchSize, 5);
        assert.deepStrictEqual(mapping.inputs?.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.ok(mapping.dependencies?.includes(g.one("aws:iam/rolePolicy:RolePolicy", "worker-needs").urn), "created after the consume grant Lambda checks");
        const rule = g.one("aws:cloudwatch/eventRule:EventRule", "worker-rate-5-minutes");
        assert.strictEqual(rule.inputs?.scheduleExpression, "rate(5 minutes)");
        const invoke = g.one("aws:lambda/permission:Permission", "worker-rate-5-minutes");
        assert.deepStrictEqual([invoke.inputs?.principal, invoke.inputs?.sourceArn, invoke.inputs?.sourceAccount], ["events.amazonaws.com", rule.outputs?.arn, ACCOUNT_ID]);
        assert.strictEqual(g.one("aws:cloudwatch/eventTarget:EventTarget", "worker-rate-5-minutes").inputs?.arn, g.one("aws:lambda/function:Function", "worker-fn").outputs?.arn);
    });

    it("plans with no mandatory violation", async () => {
        const result = await plan(catalogConfig(services, { protectStatefulResources: true }), "up");
        assert.deepStrictEqual(result.violations.filter(v => v.enforcementLevel === "mandatory").map(v => `${v.policy}: ${v.message}`), []);
    });

    it("registers nothing for a bad declaration", async () => {
        const bad = await plan(catalogConfig([fargate("orders"), fargate("web", { uses: [{ service: "orders", data: "orders", access: "read" }] })]), "up");
        assert.deepStrictEqual(bad.resources, []);
        assert.deepStrictEqual(bad.errors?.map(e => e.path), ["services[1].uses[0].data"]);
    });
});

import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { findProblems, ServiceSpec, serviceSchema } from "../../components/catalog";
import { lambdaHealthCheck, LAMBDA_HEALTH_PATH } from "../../components/runtimes/lambda/binding";
import { functionArchitecture, functionPackage } from "../../components/runtimes/lambda/function";
import { catalogConfig, fargate, Graph, list, plan, ROOT, statements } from "../helpers";
import type { ResourceRecord } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

function lambda(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { name, runtime: "lambda", port: 8443, function: { code: "services/notifier" }, ...extra };
}

const config = catalogConfig(
    [
        fargate("web", { consumes: ["notifier"] }),
        lambda("notifier", {
            function: { code: "services/notifier", memorySize: 512, timeout: 15, reservedConcurrency: 5 },
            consumes: ["payments"],
            environment: { LOG_LEVEL: "info" },
        }),
        fargate("payments", { port: 9443 }),
    ],
    { logRetentionDays: 90 },
);

describe("lambda runtime", function () {
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(config));
    });

    const fn = () => g.one("aws:lambda/function:Function", "notifier-fn");
    const key = () => g.one("aws:kms/key:Key", "platform-key");

    describe("the function", () => {
        it("runs the repository directory as zip code with the catalog's settings", () => {
            const f = fn();
            assert.strictEqual(f.inputs.packageType, "Zip");
            assert.deepStrictEqual(f.inputs.code, { archive: path.join(ROOT, "services/notifier") });
            assert.strictEqual(f.inputs.handler, "index.handler");
            assert.strictEqual(f.inputs.runtime, "nodejs22.x");
            assert.deepStrictEqual(f.inputs.architectures, ["arm64"]);
            assert.strictEqual(f.inputs.memorySize, 512);
            assert.strictEqual(f.inputs.timeout, 15);
            assert.strictEqual(f.inputs.name, "test-notifier");
            assert.strictEqual(f.inputs.imageUri, undefined);
        });

        it("sits in the service VPC's private subnets with the service's workload group, which admits nothing", () => {
            const f = fn();
            const deps = g.deps(f, "vpcConfig").map(r => r.name).sort();
            assert.deepStrictEqual(deps, ["notifier-private-a", "notifier-private-b", "notifier-workload"]);
            const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "notifier-workload");
            assert.deepStrictEqual((f.inputs.vpcConfig as { securityGroupIds: string[] }).securityGroupIds, [sg.id]);
            assert.deepStrictEqual(sg.inputs.ingress, [], "the function's group admits traffic; the ALB invokes it through the Lambda API");
            assert.strictEqual(g.deps(sg, "vpcId")[0].name, "notifier-vpc");
        });

        it("may only reach the endpoints of the services it consumes: no AWS-service endpoint, no internet", () => {
            const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "notifier-workload");
            assert.deepStrictEqual(sg.inputs.egress, [
                { protocol: "tcp", fromPort: 9443, toPort: 9443, cidrBlocks: ["10.0.0.0/16"], description: "PrivateLink endpoints on 9443" },
            ]);
            // The consumer endpoint to payments admits exactly this group.
            const endpointSg = g.deps(g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "notifier-to-payments-endpoint"), "securityGroupIds")[0];
            assert.deepStrictEqual((endpointSg.inputs.ingress as { securityGroups: string[] }[])[0].securityGroups, [sg.id]);
            const vpc = g.one("aws:ec2/vpc:Vpc", "notifier-vpc");
            const awsEndpoints = g.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
                .filter(e => g.deps(e, "vpcId")[0]?.urn === vpc.urn)
                .filter(e => (e.inputs.tags as Record<string, string>)["privatelink:endpoint-kind"] === "aws-service");
            assert.deepStrictEqual(awsEndpoints, [], "Lambda needs no AWS-service endpoint to run");
        });

        it("gets the catalog's environment and the URL of each service it consumes", () => {
            const endpoint = g.one("aws:ec2/vpcEndpoint:VpcEndpoint", "notifier-to-payments-endpoint");
            const dns = (endpoint.outputs.dnsEntries as { dnsName: string }[])[0].dnsName;
            assert.deepStrictEqual(fn().inputs.environment, { variables: { LOG_LEVEL: "info", PAYMENTS_URL: `http://${dns}:9443` } });
        });

        it("has reserved concurrency from the catalog", () => {
            assert.strictEqual(fn().inputs.reservedConcurrentExecutions, 5);
        });

        it("sends failed asynchronous events to its own dead-letter queue, encrypted with the platform key", () => {
            const f = fn();
            const [queue] = g.deps(f, "deadLetterConfig");
            assert.strictEqual(queue.type, "aws:sqs/queue:Queue");
            assert.strictEqual(queue.name, "notifier-dlq");
            assert.strictEqual((f.inputs.deadLetterConfig as { targetArn: string }).targetArn, queue.outputs.arn);
            assert.match(String(queue.outputs.arn), new RegExp(String.raw`^arn:aws:sqs:us-east-1:${ACCOUNT_ID}:notifier-dlq-[0-9a-f]{7}$`));
            assert.strictEqual(queue.inputs.kmsMasterKeyId, key().outputs.arn);
            assert.strictEqual(Graph.serviceOf(queue), "notifier");
        });

        it("logs as JSON to its own log group, retained and encrypted", () => {
            const f = fn();
            const group = g.one("aws:cloudwatch/logGroup:LogGroup", "notifier-logs");
            assert.deepStrictEqual(f.inputs.loggingConfig, { logFormat: "JSON", logGroup: "/aws/lambda/test-notifier" });
            assert.deepStrictEqual(g.deps(f, "loggingConfig").map(r => r.urn), [group.urn]);
            assert.strictEqual(group.inputs.retentionInDays, 90);
            assert.strictEqual(group.inputs.kmsKeyId, key().outputs.arn);
        });

        it("is created after its role may manage ENIs (Lambda checks that on create)", () => {
            const policy = g.one("aws:iam/rolePolicy:RolePolicy", "notifier-fn");
            assert.ok(fn().dependencies.includes(policy.urn));
        });
    });

    describe("the execution role", () => {
        const role = () => g.one("aws:iam/role:Role", "notifier-fn");
        const policy = () => statements(g.one("aws:iam/rolePolicy:RolePolicy", "notifier-fn").inputs.policy);
        const bySid = (sid: string) => {
            const s = policy().find(st => st.Sid === sid);
            assert.ok(s, `no statement ${sid}`);
            return s;
        };

        it("is the function's, trusted only by Lambda in this account", () => {
            assert.strictEqual(fn().inputs.role, role().outputs.arn);
            const [trust] = statements(role().inputs.assumeRolePolicy);
            assert.deepStrictEqual(trust.Principal, { Service: "lambda.amazonaws.com" });
            assert.deepStrictEqual(trust.Action, "sts:AssumeRole");
            assert.strictEqual(trust.Condition?.StringEquals["aws:SourceAccount"], ACCOUNT_ID);
            assert.strictEqual(g.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(a => g.deps(a, "role")[0]?.urn === role().urn).length, 0,
                "no managed policy (AWSLambdaVPCAccessExecutionRole allows every log group)");
        });

        it("has no wildcard action and a wildcard resource only for the two Describe calls AWS cannot scope", () => {
            for (const s of policy()) {
                assert.strictEqual(s.Effect, "Allow");
                for (const a of list(s.Action)) {
                    assert.ok(!a.includes("*"), `wildcard action ${a}`);
                }
                if (list(s.Resource).includes("*")) {
                    assert.deepStrictEqual(list(s.Action).sort(), ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]);
                }
            }
            assert.deepStrictEqual(policy().map(s => s.Sid), [
                "DescribeForEnis", "CreateEnisInOwnSubnets", "ManageOwnEnis", "WriteOwnLogs", "SendToOwnDeadLetterQueue", "EncryptDeadLetters",
            ]);
        });

        it("creates ENIs only in the service's own subnets with its own security group", () => {
            const s = bySid("CreateEnisInOwnSubnets");
            assert.deepStrictEqual(list(s.Action), ["ec2:CreateNetworkInterface"]);
            const subnets = ["notifier-private-a", "notifier-private-b"].map(n => g.one("aws:ec2/subnet:Subnet", n).id);
            const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "notifier-workload").id;
            assert.deepStrictEqual(list(s.Resource), [
                `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:network-interface/*`,
                ...subnets.map(id => `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:subnet/${id}`),
                `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:security-group/${sg}`,
            ]);
            const manage = bySid("ManageOwnEnis");
            assert.deepStrictEqual(list(manage.Resource), [`arn:aws:ec2:us-east-1:${ACCOUNT_ID}:network-interface/*`]);
        });

        it("writes only its own log group and sends only to its own queue, through SQS only with the key", () => {
            const group = g.one("aws:cloudwatch/logGroup:LogGroup", "notifier-logs");
            assert.deepStrictEqual(list(bySid("WriteOwnLogs").Resource), [`${group.outputs.arn}:log-stream:*`]);
            const queue = g.one("aws:sqs/queue:Queue", "notifier-dlq");
            assert.deepStrictEqual(list(bySid("SendToOwnDeadLetterQueue").Action), ["sqs:SendMessage"]);
            assert.deepStrictEqual(list(bySid("SendToOwnDeadLetterQueue").Resource), [queue.outputs.arn]);
            const kms = bySid("EncryptDeadLetters");
            assert.deepStrictEqual(list(kms.Resource), [key().outputs.arn]);
            assert.deepStrictEqual(kms.Condition, { StringEquals: { "kms:ViaService": "sqs.us-east-1.amazonaws.com" } });
        });

        it("is the repository's one reader (the pull role), and no other service's role reaches this function's resources", () => {
            const pull = g.one("aws:ecr/repositoryPolicy:RepositoryPolicy", "notifier-pull");
            assert.deepStrictEqual(statements(pull.inputs.policy).map(s => s.Principal), [{ AWS: role().outputs.arn }], "zip code needs no service principal");
            const queueArn = String(g.one("aws:sqs/queue:Queue", "notifier-dlq").outputs.arn);
            for (const p of g.ofType("aws:iam/rolePolicy:RolePolicy").filter(p => p.name !== "notifier-fn")) {
                assert.ok(!String(p.inputs.policy).includes(queueArn), `${p.name} reaches the notifier's queue`);
            }
        });
    });

    describe("exposure through PrivateLink", () => {
        const one = (type: string, name: string) => g.one(type, name);
        const only = (records: ResourceRecord[], what: string) => {
            assert.strictEqual(records.length, 1, `${what}: ${records.map(r => r.name).join(", ")}`);
            return records[0];
        };

        it("follows consumer endpoint → endpoint service → NLB → target group (alb) → ALB → target group (lambda) → function", () => {
            // web's endpoint names notifier's endpoint service
            const endpoint = one("aws:ec2/vpcEndpoint:VpcEndpoint", "web-to-notifier-endpoint");
            assert.strictEqual(g.deps(endpoint, "vpcId")[0].name, "web-vpc");
            const service = only(g.deps(endpoint, "serviceName"), "endpoint service");
            assert.strictEqual(service.type, "aws:ec2/vpcEndpointService:VpcEndpointService");
            assert.strictEqual(endpoint.inputs.serviceName, service.outputs.serviceName);

            // → its NLB, internal, in notifier's subnets
            const nlb = only(g.deps(service, "networkLoadBalancerArns"), "NLB");
            assert.strictEqual(nlb.inputs.loadBalancerType, "network");
            assert.strictEqual(nlb.inputs.internal, true);
            assert.deepStrictEqual(g.deps(nlb, "subnets").map(s => s.name).sort(), ["notifier-private-a", "notifier-private-b"]);

            // → TCP listener on the service port → the alb-type target group
            const listener = only(g.listenersOf(nlb), "NLB listener");
            assert.strictEqual(listener.inputs.protocol, "TCP");
            assert.strictEqual(listener.inputs.port, 8443);
            const nlbTg = only(g.deps(listener, "defaultActions"), "NLB target group");
            assert.strictEqual(nlbTg.inputs.targetType, "alb");
            assert.strictEqual(nlbTg.inputs.protocol, "TCP");
            assert.strictEqual(nlbTg.inputs.port, 8443);

            // → the ALB, registered with that target group after its listener exists
            const albAttachment = only(g.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment")
                .filter(a => g.deps(a, "targetGroupArn")[0]?.urn === nlbTg.urn), "ALB registration");
            const alb = only(g.deps(albAttachment, "targetId"), "ALB");
            assert.strictEqual(albAttachment.inputs.targetId, alb.outputs.arn);
            assert.strictEqual(albAttachment.inputs.port, 8443);
            assert.strictEqual(alb.inputs.loadBalancerType, "application");
            assert.strictEqual(alb.inputs.internal, true);
            const albListener = only(g.listenersOf(alb), "ALB listener");
            assert.ok(albAttachment.dependencies.includes(albListener.urn), "the ALB is registered before it has a listener");
            assert.strictEqual(albListener.inputs.protocol, "HTTP");
            assert.strictEqual(albListener.inputs.port, 8443, "the ALB listener is not on the NLB target group's port");

            // → the lambda-type target group → the function
            const fnTg = only(g.deps(albListener, "defaultActions"), "ALB target group");
            assert.strictEqual(fnTg.inputs.targetType, "lambda");
            const fnAttachment = only(g.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment")
                .filter(a => g.deps(a, "targetGroupArn")[0]?.urn === fnTg.urn), "function registration");
            const target = only(g.deps(fnAttachment, "targetId"), "function");
            assert.strictEqual(target.urn, fn().urn);
            assert.strictEqual(fnAttachment.inputs.targetId, fn().outputs.arn);

            // and the load balancer may invoke it only from that target group, in this account
            const permission = only(g.ofType("aws:lambda/permission:Permission").filter(p => g.deps(p, "function")[0]?.urn === fn().urn), "permission");
            assert.strictEqual(permission.inputs.principal, "elasticloadbalancing.amazonaws.com");
            assert.strictEqual(permission.inputs.action, "lambda:InvokeFunction");
            assert.strictEqual(permission.inputs.sourceArn, fnTg.outputs.arn);
            assert.deepStrictEqual(g.deps(permission, "sourceArn").map(r => r.urn), [fnTg.urn]);
            assert.strictEqual(permission.inputs.sourceAccount, ACCOUNT_ID);
            assert.ok(fnAttachment.dependencies.includes(permission.urn), "the function is registered before the ALB may invoke it");
        });

        it("health-checks the whole path over HTTP on the ALB's port and the function's health path", () => {
            const tg = one("aws:lb/targetGroup:TargetGroup", "notifier-tg");
            assert.deepStrictEqual(tg.inputs.healthCheck, {
                enabled: true, protocol: "HTTP", port: "8443", path: LAMBDA_HEALTH_PATH, matcher: "200-399",
                interval: 30, timeout: 10, healthyThreshold: 3, unhealthyThreshold: 3,
            });
        });

        it("keeps the ALB internal, in the service's subnets, admitting only the service port from the VPC, with no egress", () => {
            const alb = one("aws:lb/loadBalancer:LoadBalancer", "notifier-alb");
            assert.deepStrictEqual(g.deps(alb, "subnets").map(s => s.name).sort(), ["notifier-private-a", "notifier-private-b"]);
            assert.strictEqual(alb.inputs.dropInvalidHeaderFields, true);
            const [sg] = g.deps(alb, "securityGroups");
            assert.strictEqual(sg.name, "notifier-alb");
            assert.strictEqual(g.deps(sg, "vpcId")[0].name, "notifier-vpc");
            assert.deepStrictEqual(sg.inputs.ingress, [
                { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.0.0.0/16"], description: "Service port from the NLB nodes in this VPC" },
            ]);
            assert.deepStrictEqual(sg.inputs.egress, []);
        });

        it("tags every resource of the runtime with its service", () => {
            const component = one("privatelink:runtime:LambdaService", "notifier");
            const untaggable = new Set(["aws:iam/rolePolicy:RolePolicy", "aws:lambda/permission:Permission", "aws:lb/targetGroupAttachment:TargetGroupAttachment"]);
            const children = g.descendants(component);
            assert.strictEqual(children.length, 12);
            for (const r of children.filter(c => !untaggable.has(c.type))) {
                assert.strictEqual(Graph.serviceOf(r), "notifier", `${r.type} ${r.name}`);
            }
        });

        it("leaves Fargate's workload group admitting its port from the VPC", () => {
            const sg = g.one("aws:ec2/securityGroup:SecurityGroup", "payments-workload");
            assert.deepStrictEqual((sg.inputs.ingress as { fromPort: number }[]).map(i => i.fromPort), [9443]);
        });
    });

    describe("a function from an image", () => {
        it("runs the service's ECR image as package type Image, on the image's architecture", async () => {
            const ig = new Graph(await plan(catalogConfig([
                lambda("tagged", { function: { memorySize: 1024 }, image: "2.1.0" }),
                lambda("built", { function: undefined, image: { context: "./services/notifier", platform: "linux/arm64" } }),
            ])));
            const tagged = ig.one("aws:lambda/function:Function", "tagged-fn");
            const repo = ig.one("aws:ecr/repository:Repository", "tagged-repo");
            assert.strictEqual(tagged.inputs.packageType, "Image");
            assert.strictEqual(tagged.inputs.imageUri, `${repo.outputs.repositoryUrl}:2.1.0`);
            assert.strictEqual(tagged.inputs.code, undefined);
            assert.strictEqual(tagged.inputs.handler, undefined);
            assert.strictEqual(tagged.inputs.runtime, undefined);
            assert.deepStrictEqual(tagged.inputs.architectures, ["x86_64"]);
            assert.strictEqual(tagged.inputs.memorySize, 1024);
            assert.strictEqual(tagged.inputs.reservedConcurrentExecutions, 10);

            // Lambda reads the image as lambda.amazonaws.com, for this function only.
            const [role, lambdaPull] = statements(ig.one("aws:ecr/repositoryPolicy:RepositoryPolicy", "tagged-pull").inputs.policy);
            assert.deepStrictEqual(role.Principal, { AWS: ig.one("aws:iam/role:Role", "tagged-fn").outputs.arn });
            assert.deepStrictEqual(lambdaPull, {
                Sid: "ServicePullOnBehalf",
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Condition: { StringLike: { "aws:sourceArn": tagged.outputs.arn } },
            });

            const built = ig.one("aws:lambda/function:Function", "built-fn");
            assert.strictEqual(built.inputs.imageUri, ig.one("awsx:ecr:Image", "built-image").outputs.imageUri);
            assert.deepStrictEqual(built.inputs.architectures, ["arm64"]);
            assert.strictEqual(built.inputs.timeout, 10, "the catalog's defaults apply without a function block");
        });
    });

    describe("plain functions", () => {
        const spec = (extra: Record<string, unknown>): ServiceSpec => serviceSchema.parse({ name: "fn", runtime: "lambda", port: 8080, ...extra });

        it("picks the package, and refuses both or neither", () => {
            assert.deepStrictEqual(functionPackage(spec({ function: { code: "services/notifier" } }), undefined, "/repo"), { kind: "zip", directory: "/repo/services/notifier" });
            assert.deepStrictEqual(functionPackage(spec({ image: "1.0" }), "uri:1.0"), { kind: "image", imageUri: "uri:1.0" });
            assert.throws(() => functionPackage(spec({ image: "1.0", function: { code: "x" } }), "uri"), /either function\.code or image/);
            assert.throws(() => functionPackage(spec({}), undefined), /needs function\.code .* or image/);
        });

        it("checks HTTP on the ALB port and picks the architecture", () => {
            const hc = lambdaHealthCheck(spec({ port: 7000 }));
            assert.strictEqual(hc.protocol, "HTTP");
            assert.strictEqual(hc.port, "7000");
            assert.strictEqual(functionArchitecture(spec({ function: { code: "x" } })), "arm64");
            assert.strictEqual(functionArchitecture(spec({ image: { context: "x" } })), "x86_64");
        });
    });

    describe("bad catalog entries", () => {
        const problems = (service: Record<string, unknown>) =>
            findProblems({ services: [service] }, { projectDir: ROOT }).problems.map(p => `${p.path}: ${p.message}`);
        const cases: [string, Record<string, unknown>, string, RegExp][] = [
            ["a code directory that does not exist", lambda("fn", { function: { code: "services/nope" } }), "services[0].function.code", /directory "services\/nope" does not exist/],
            ["both code and an image", lambda("fn", { image: "1.0.0" }), "services[0].function.code", /either code or an image, not both/],
            ["neither code nor an image", lambda("fn", { function: undefined }), "services[0].function.code", /is required/],
            ["a Fargate cpu on a function", lambda("fn", { cpu: 512 }), "services[0].cpu", /only for runtime fargate/],
            ["a Fargate memory on a function", lambda("fn", { memory: 1024 }), "services[0].memory", /only for runtime fargate/],
        ];
        for (const [what, service, at, message] of cases) {
            it(`refuses ${what}, naming ${at}`, () => {
                const found = problems(service);
                assert.ok(found.some(p => p.startsWith(`${at}: `) && message.test(p)), found.join("\n"));
            });
        }

        it("accepts the shipped notifier", () => {
            assert.deepStrictEqual(problems(lambda("notifier")), []);
        });

        it("exits 2 through the CLI, naming the field and registering nothing", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-lambda-"));
            const file = path.join(dir, "Pulumi.test.yaml");
            fs.writeFileSync(file, YAML.stringify({ config: catalogConfig([lambda("fn", { function: { code: "services/nope" }, memory: 1024 })]) }));
            const run = spawnSync(process.execPath, [path.join(ROOT, "tools/preview/bin.js"), "--stack", "test", "--config-file", file, "--json"], {
                cwd: ROOT, encoding: "utf8", timeout: 120_000,
            });
            assert.strictEqual(run.status, 2, run.stderr);
            const doc = JSON.parse(run.stdout);
            assert.deepStrictEqual(doc.resources, []);
            const paths = (doc.errors as { path: string }[]).map(e => e.path).sort();
            assert.deepStrictEqual(paths, ["services[0].function.code", "services[0].memory"]);
        });
    });
});

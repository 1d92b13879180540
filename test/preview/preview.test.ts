import { strict as assert } from "assert";
import { PolicyEvaluationError, PreviewResult, runPreview, Violation } from "../../tools/preview";
import { APP, CATALOG_ERROR, find } from "./helpers";
import { ACCOUNT_ID } from "../../tools/preview/cloud";

const STACK_URN = "urn:pulumi:test::fixture-app::pulumi:pulumi:Stack::fixture-app-test";
const NETWORK_URN = "urn:pulumi:test::fixture-app::fixture:index:Network::main";
const VPC_URN = "urn:pulumi:test::fixture-app::fixture:index:Network$aws:ec2/vpc:Vpc::main-vpc";

describe("preview: running a program offline", () => {
    let preview: PreviewResult;
    let up: PreviewResult;

    before(async () => {
        preview = await runPreview({ projectDir: APP, stack: "test" });
        up = await runPreview({ projectDir: APP, stack: "test", mode: "up" });
    });

    describe("configuration", () => {
        it("gives the program structured values, numbers, booleans and project defaults", () => {
            assert.deepEqual(up.outputs.settingsSeen, { azCount: 2, cidr: "10.20.0.0/16", tags: { team: "payments" }, zeta: "last" });
            assert.deepEqual(up.outputs.serviceNames, ["orders:8080", "billing:9090"]);
            assert.equal(up.outputs.replicas, 3);
            assert.equal(up.outputs.debug, true);
            assert.equal(up.outputs.owner, "platform-team");
            assert.equal(up.outputs.regionSeen, "eu-west-1");
            assert.equal(up.outputs.settingsJson, '{"azCount":2,"cidr":"10.20.0.0/16","tags":{"team":"payments"},"zeta":"last"}');
        });

        it("keeps secure values secret and never shows their ciphertext or plaintext", () => {
            assert.equal(up.outputs.password, "[secret]");
            assert.equal(up.outputs.passwordSeen, "[offline placeholder for secret fixture-app:dbPassword]");
            const param = find(up, "aws:ssm/parameter:Parameter", "db-password");
            assert.equal(param.inputs.value, "[secret]");
            assert.equal(param.outputs.value, "[secret]");
            const json = JSON.stringify([preview, up]);
            assert.ok(!json.includes("ciphertext-that-cannot-be-decrypted"));
            const placeholders = json.split("offline placeholder").length - 1;
            assert.ok(placeholders > 0);
            assert.equal(json.split('"passwordSeen":"[offline placeholder').length - 1, placeholders, "the placeholder only where the program unsecreted it");
        });
    });

    describe("the resource graph", () => {
        it("records the root stack, components and children with their parents", () => {
            const stack = preview.resources[0];
            assert.equal(stack.urn, STACK_URN);
            assert.equal(stack.type, "pulumi:pulumi:Stack");
            assert.equal(stack.parent, null);
            const network = find(preview, "fixture:index:Network", "main");
            assert.equal(network.urn, NETWORK_URN);
            assert.equal(network.parent, STACK_URN);
            assert.equal(network.custom, false);
            const vpc = find(preview, "aws:ec2/vpc:Vpc", "main-vpc");
            assert.equal(vpc.urn, VPC_URN);
            assert.equal(vpc.parent, NETWORK_URN);
            assert.equal(vpc.custom, true);
            assert.equal(find(preview, "aws:ec2/subnet:Subnet", "main-subnet-1").parent, NETWORK_URN);
            assert.equal(find(preview, "aws:iam/role:Role", "flow-role").parent, STACK_URN);
            assert.deepEqual(network.outputs, { subnetCount: 2, vpcId: "<unknown>" });
        });

        it("records dependencies and property dependencies as URNs", () => {
            const flow = find(preview, "aws:ec2/flowLog:FlowLog", "flow");
            const role = find(preview, "aws:iam/role:Role", "flow-role").urn;
            const logs = find(preview, "aws:cloudwatch/logGroup:LogGroup", "flow-logs").urn;
            assert.deepEqual([...flow.dependencies].sort(), [logs, role, VPC_URN].sort());
            assert.deepEqual(flow.propertyDependencies.logDestination, [logs]);
            assert.deepEqual(flow.propertyDependencies.iamRoleArn, [role]);
            assert.deepEqual(flow.propertyDependencies.vpcId, [VPC_URN]);
            const endpoint = find(preview, "aws:ec2/vpcEndpoint:VpcEndpoint", "orders-endpoint");
            assert.deepEqual(endpoint.propertyDependencies.serviceName, [find(preview, "aws:ec2/vpcEndpointService:VpcEndpointService", "orders-svc").urn]);
            assert.equal(endpoint.propertyDependencies.subnetIds.length, 2);
        });

        it("records resource options", () => {
            const vpc = find(preview, "aws:ec2/vpc:Vpc", "main-vpc");
            assert.equal(vpc.options.protect, true);
            assert.equal(vpc.options.retainOnDelete, false);
            const logs = find(preview, "aws:cloudwatch/logGroup:LogGroup", "flow-logs");
            assert.equal(logs.options.retainOnDelete, true);
            assert.equal(logs.options.protect, false);
            assert.deepEqual(logs.options.aliases, [{ name: "old-flow-logs", parentUrn: STACK_URN }]);
            assert.deepEqual(find(preview, "aws:ec2/subnet:Subnet", "main-subnet-0").options.ignoreChanges, ["tags"]);
            assert.equal(find(preview, "aws:ec2/vpcEndpointService:VpcEndpointService", "orders-svc").options.deleteBeforeReplace, true);
            assert.equal(vpc.options.provider, null);
        });

        it("counts resources by type, the stack included", () => {
            assert.equal(preview.summary.total, preview.resources.length);
            assert.equal(preview.summary.total, 13);
            assert.equal(preview.summary.byType["aws:ec2/subnet:Subnet"], 2);
            assert.equal(preview.summary.byType["pulumi:pulumi:Stack"], 1);
        });
    });

    describe("preview and up", () => {
        it("in a preview, leaves cloud-computed outputs unknown and inputs known", () => {
            const vpc = find(preview, "aws:ec2/vpc:Vpc", "main-vpc");
            assert.equal(vpc.id, "<unknown>");
            assert.equal(vpc.outputs.arn, "<unknown>");
            assert.equal(vpc.outputs.cidrBlock, "10.20.0.0/16");
            assert.equal(vpc.inputs.cidrBlock, "10.20.0.0/16");
            const subnet = find(preview, "aws:ec2/subnet:Subnet", "main-subnet-0");
            assert.equal(subnet.inputs.vpcId, "<unknown>", "an input built from an unknown output is unknown");
            assert.equal(subnet.inputs.availabilityZone, "eu-west-1a", "invokes run in a preview");
            assert.equal(preview.outputs.vpcId, "<unknown>");
            assert.equal(preview.outputs.cidr, "10.20.0.0/16");
            // Auto-names are settled when inputs are checked, so they are known.
            assert.match(String(find(preview, "aws:iam/role:Role", "flow-role").outputs.name), /^flow-role-[0-9a-f]{7}$/);
        });

        it("in an update, knows every value, and inputs carry the ids of their dependencies", () => {
            const vpc = find(up, "aws:ec2/vpc:Vpc", "main-vpc");
            assert.match(String(vpc.id), /^vpc-0[0-9a-f]{16}$/);
            assert.equal(find(up, "aws:ec2/subnet:Subnet", "main-subnet-0").inputs.vpcId, vpc.id);
            assert.equal(up.outputs.vpcId, vpc.id);
            assert.ok(!JSON.stringify(up).includes("<unknown>"));
        });

        it("answers with realistic AWS formats in the stack's region", () => {
            const id = (type: string, name: string) => String(find(up, type, name).id);
            assert.match(id("aws:ec2/subnet:Subnet", "main-subnet-0"), /^subnet-0[0-9a-f]{16}$/);
            assert.match(id("aws:ec2/vpcEndpoint:VpcEndpoint", "orders-endpoint"), /^vpce-0[0-9a-f]{16}$/);
            assert.match(id("aws:ec2/flowLog:FlowLog", "flow"), /^fl-0[0-9a-f]{16}$/);
            assert.match(String(up.outputs.vpcArn), new RegExp(String.raw`^arn:aws:ec2:eu-west-1:${ACCOUNT_ID}:vpc\/vpc-0[0-9a-f]{16}$`));
            assert.match(String(up.outputs.serviceName), /^com\.amazonaws\.vpce\.eu-west-1\.vpce-svc-0[0-9a-f]{16}$/);
            const svcId = String(up.outputs.serviceName).split(".").pop();
            assert.match(String(up.outputs.endpointDns), new RegExp(`^vpce-0[0-9a-f]{16}-[0-9a-f]{8}\\.${svcId}\\.eu-west-1\\.vpce\\.amazonaws\\.com$`));
            assert.match(String(up.outputs.repositoryUrl), new RegExp(String.raw`^${ACCOUNT_ID}\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/orders-[0-9a-f]{7}$`));
            const nlb = find(up, "aws:lb/loadBalancer:LoadBalancer", "orders-nlb").outputs;
            assert.match(String(nlb.dnsName), /^orders-nlb-[0-9a-f]{7}-[0-9a-f]{16}\.elb\.eu-west-1\.amazonaws\.com$/);
            assert.match(String(nlb.arn), new RegExp(String.raw`^arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT_ID}:loadbalancer\/net\/orders-nlb-[0-9a-f]{7}\/[0-9a-f]{16}$`));
            const role = find(up, "aws:iam/role:Role", "flow-role").outputs;
            assert.equal(role.arn, `arn:aws:iam::${ACCOUNT_ID}:role/${role.name}`);
        });
    });

    describe("repeated runs", () => {
        it("give identical results for the same stack", async () => {
            assert.deepEqual(await runPreview({ projectDir: APP, stack: "test", mode: "up" }), up);
            assert.deepEqual(await runPreview({ projectDir: APP, stack: "test" }), preview);
        });

        it("load the program's own modules afresh every time", async () => {
            await runPreview({ projectDir: APP, stack: "test" });
            const again = await runPreview({ projectDir: APP, stack: "test" });
            assert.equal(again.outputs.moduleLoads, 1);
            assert.equal(again.resources.length, 13);
            assert.equal(up.outputs.moduleLoads, 1);
        });

        /** The fixture's configuration in another region, with one zone and this VPC range. */
        const configWith = (cidr: string) => ({
            "aws:region": "ap-southeast-2",
            settings: { cidr, azCount: 1, tags: {} },
            services: [],
            replicas: 1,
            debug: false,
            dbPassword: { secure: "v1:x" },
        });

        it("fail an up as AWS does when a create is refused and no mandatory policy stopped it first", async () => {
            const stackConfig = configWith("10.1.0.0/16");
            // The fixture's subnets are 10.20.<i>.0/24: outside a 10.1.0.0/16 VPC.
            await assert.rejects(runPreview({ projectDir: APP, stack: "test", mode: "up", stackConfig }), /creating EC2 Subnet: .*api error InvalidSubnet\.Range: The CIDR '10\.20\.0\.0\/24' is invalid\./);
            // A preview calls no create API.
            assert.equal((await runPreview({ projectDir: APP, stack: "test", mode: "preview", stackConfig })).summary.byType["aws:ec2/subnet:Subnet"], 1);
        });

        it("run the program afresh with the configuration given", async () => {
            const result = await runPreview({
                projectDir: APP,
                stack: "test",
                mode: "up",
                stackConfig: configWith("10.20.0.0/16"),
            });
            assert.equal(result.summary.byType["aws:ec2/subnet:Subnet"], 1);
            assert.equal(result.outputs.regionSeen, "ap-southeast-2");
            assert.match(String(result.outputs.vpcArn), /^arn:aws:ec2:ap-southeast-2:/);
            assert.equal(find(result, "aws:ec2/subnet:Subnet", "main-subnet-0").inputs.availabilityZone, "ap-southeast-2a");
        });
    });

    describe("policies", () => {
        it("passes the recorded resources and mode to evaluatePolicies and returns its violations", async () => {
            const seen: Array<{ count: number; mode: string }> = [];
            const violation: Violation = { policy: "p", enforcementLevel: "advisory", urn: VPC_URN, message: "m" };
            const result = await runPreview({
                projectDir: APP,
                stack: "test",
                evaluatePolicies: async (resources, ctx) => {
                    seen.push({ count: resources.length, mode: ctx.mode });
                    return [violation];
                },
            });
            assert.deepEqual(seen, [{ count: 13, mode: "preview" }]);
            assert.deepEqual(result.violations, [violation]);
            assert.deepEqual(preview.violations, []);
        });
    });

    describe("errors", () => {
        it("rejects with a PolicyEvaluationError when the policies throw", async () => {
            await assert.rejects(
                runPreview({ projectDir: APP, stack: "test", evaluatePolicies: async () => { throw new Error("rule crashed"); } }),
                (err: unknown) => err instanceof PolicyEvaluationError && /policy evaluation failed: rule crashed/.test(err.message),
            );
        });


        it("resolves a catalog error to its problems and no resources", async () => {
            const result = await runPreview({ projectDir: CATALOG_ERROR, stack: "test" });
            assert.deepEqual(result.resources, []);
            assert.deepEqual(result.errors, [
                { path: "services[0].name", message: "use lower-case letters, digits and dashes" },
                { path: "services[0].port", message: "a port is between 1 and 65535" },
            ]);
        });

        it("rejects with the program's error otherwise", async () => {
            await assert.rejects(runPreview({ projectDir: APP, stack: "test", stackConfig: {} }), /Missing required configuration variable 'fixture-app:settings'/);
        });

        it("still runs after a failed run", async () => {
            const again = await runPreview({ projectDir: APP, stack: "test", mode: "up" });
            assert.equal(again.resources.length, 13);
        });
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PreviewResult, runPreview } from "../../tools/preview";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { Lifecycle } from "../../tools/preview/lifecycle";
import { parseCatalog } from "../../package/platform";
import { CatalogValidationError } from "../../components/catalog";
import { generateSchema, PACKAGE_DIR, providerName, SCHEMA_FILE } from "../../tools/package/schema";
import { ROOT } from "../helpers";

interface SchemaProperty { type?: string; $ref?: string; description?: string; items?: SchemaProperty }
interface SchemaResource {
    isComponent: boolean;
    description?: string;
    inputProperties: Record<string, SchemaProperty>;
    requiredInputs?: string[];
    properties: Record<string, SchemaProperty>;
    required?: string[];
}
interface Schema { name: string; version: string; resources: Record<string, SchemaResource> }

/** What a team uses from other languages (docs/packages.md), with the inputs they must give. */
const EXPECTED: Record<string, { required: string[]; outputs: string[] }> = {
    PrivateLinkService: {
        required: ["allowedPrincipals", "kmsKeyArn", "port", "service", "subnetIds", "vpcId"],
        outputs: ["endpointServiceId", "endpointServiceName", "eventsTopicArn", "nlbDnsName", "targetGroupArn"],
    },
    PrivateLinkConsumer: {
        required: ["consumer", "endpointServiceId", "endpointServiceName", "port", "provider", "subnetIds", "vpcId", "workloadSecurityGroupId"],
        outputs: ["endpointId", "url"],
    },
    Platform: {
        required: ["catalog"],
        outputs: ["declaredEdges", "endpointServiceNames", "endpoints", "invokeUrl", "needsInput", "repositoryUrls", "vpcIds"],
    },
};

describe("the component package (pulumi package add)", function () {
    this.timeout(600_000);
    let schema: Schema;
    before(async () => {
        schema = JSON.parse(await generateSchema()) as Schema;
    });

    it("has the schema the SDK's component analyzer generates (npm run package:schema)", async () => {
        assert.strictEqual(fs.readFileSync(SCHEMA_FILE, "utf8"), JSON.stringify(schema, null, 2) + "\n", "package/schema.json is out of date: run npm run package:schema");
    });

    it("names the provider as the language host does, and types every component under it", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8")) as { name: string; version: string };
        assert.strictEqual(schema.name, providerName(manifest.name));
        assert.strictEqual(schema.version, manifest.version);
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), Object.keys(EXPECTED).map(c => `${schema.name}:index:${c}`).sort());
    });

    for (const [component, expected] of Object.entries(EXPECTED)) {
        it(`${component}: required inputs, outputs and a description for each`, () => {
            const r = schema.resources[`privatelink:index:${component}`];
            assert.ok(r.isComponent);
            assert.ok(r.description && r.description.length > 40, `${component} has no description`);
            assert.deepStrictEqual([...(r.requiredInputs ?? [])].sort(), expected.required);
            assert.deepStrictEqual(Object.keys(r.properties).sort(), expected.outputs);
            for (const [name, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) {
                assert.ok(p.description, `${component}.${name} has no description`);
                assert.ok(p.type || p.$ref, `${component}.${name} has no type`);
            }
        });
    }

    it("builds the platform's own PrivateLink pieces for a program of another team, and the pack passes them", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { evaluate } = require("../../policies/evaluate") as typeof import("../../policies/evaluate");
        const result = await runPreview({ projectDir: path.join(ROOT, "test/fixtures/package-app"), stack: "test", mode: "up", evaluatePolicies: (records, ctx) => evaluate(records, { mode: ctx.mode, config: {} }) });
        const types = (t: string) => result.resources.filter(r => r.type === t);
        assert.strictEqual(types("privatelink:index:PrivateLinkService").length, 1);
        assert.strictEqual(types("privatelink:mesh:PrivateLinkService").length, 1, "the package component builds the platform's own");
        const endpointService = types("aws:ec2/vpcEndpointService:VpcEndpointService")[0];
        assert.strictEqual(endpointService.inputs.acceptanceRequired, true);
        assert.deepStrictEqual(endpointService.inputs.allowedPrincipals, ["arn:aws:iam::418293756204:root"]);
        assert.strictEqual(types("aws:lb/loadBalancer:LoadBalancer")[0].inputs.internal, true);
        assert.strictEqual(types("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter").length, 1, "the consumer accepts the connection by default");
        assert.match(String(result.outputs.billingUrl), /^http:\/\/vpce-[0-9a-f]+-[0-9a-z]+\.vpce-svc-[0-9a-f]+\.us-east-1\.vpce\.amazonaws\.com:8443$/);
        const packRules = ["endpoint-service-acceptance-required", "endpoint-service-principals-restricted", "load-balancer-internal", "endpoint-service-connection-notification"];
        const broken = result.violations.filter(v => v.enforcementLevel === "mandatory" && packRules.includes(v.policy));
        assert.deepStrictEqual(broken, []);
    });
});

describe("the component package's Platform: a whole catalog from another team's program", function () {
    this.timeout(600_000);
    // test/fixtures/package-platform: a program that reads its catalog.yaml and hands it to Platform.
    const life = new Lifecycle({ projectDir: path.join(ROOT, "test/fixtures/package-platform"), stack: "test" });
    const ofType = (r: PreviewResult, t: string) => r.resources.filter(x => x.type === t);
    let first: PreviewResult;
    let second: PreviewResult;
    before(async () => {
        first = await life.up();
        // What the team does between the two: push each tag its catalog names to the repository the first up made.
        life.push([
            { account: ACCOUNT_ID, region: "us-east-1", repository: "test/billing", tag: "2.0.1" },
            { account: ACCOUNT_ID, region: "us-east-1", repository: "test/shop", tag: "1.4.0" },
        ]);
        second = await life.up();
    });

    it("declares the platform's own components under the package's Platform, one isolated VPC per service", () => {
        assert.deepStrictEqual(first.errors ?? [], []);
        const outer = ofType(first, "privatelink:index:Platform").find(r => r.parent?.endsWith("pulumi:pulumi:Stack::fixture-package-platform-test"));
        assert.ok(outer, "the package's Platform is a child of the stack");
        const inner = ofType(first, "privatelink:index:Platform").filter(r => r.parent === outer.urn);
        assert.strictEqual(inner.length, 1, "the platform's own Platform component is parented to the package's");
        assert.deepStrictEqual(ofType(first, "privatelink:network:IsolatedVpc").map(r => r.name).sort(), ["billing", "shop"]);
        assert.deepStrictEqual(ofType(first, "aws:ec2/internetGateway:InternetGateway"), []);
        assert.deepStrictEqual(ofType(first, "aws:ec2/natGateway:NatGateway"), []);
        assert.deepStrictEqual(first.outputs.declaredEdges, ["shop->billing"]);
    });

    it("first up: the images are pending (no repository existed), as in the platform's own stacks", () => {
        for (const svc of ofType(first, "aws:ecs/service:Service")) assert.strictEqual(svc.inputs.desiredCount, 0, `${svc.name} starts no task`);
    });

    it("second up, after the push: both services run and shop reaches billing through an interface endpoint", () => {
        assert.deepStrictEqual(second.errors ?? [], []);
        for (const svc of ofType(second, "aws:ecs/service:Service")) assert.notStrictEqual(svc.inputs.desiredCount, 0, `${svc.name} runs`);
        const endpoints = second.outputs.endpoints as Record<string, string>;
        assert.deepStrictEqual(Object.keys(endpoints), ["shop->billing"]);
        assert.match(endpoints["shop->billing"], /^vpce-[0-9a-f]+$/);
        const names = second.outputs.endpointServiceNames as Record<string, string>;
        assert.match(names.billing, /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]+$/);
        assert.deepStrictEqual(second.outputs.stillNeeded, []);
    });

    it("refuses a catalog that is not a map of platform and services, naming the field, before anything is declared", () => {
        const refused = (text: string) => {
            try {
                parseCatalog(text);
            } catch (e) {
                assert.ok(e instanceof CatalogValidationError);
                return e.problems.map(p => p.path);
            }
            return [];
        };
        assert.deepStrictEqual(refused("services: [\n"), ["catalog"]);
        assert.deepStrictEqual(refused("- a\n- b\n"), ["catalog"]);
        assert.deepStrictEqual(refused("platform: {}\nservices: []\nshards: []\nextra: 1\n"), ["catalog.shards", "catalog.extra"]);
        assert.deepStrictEqual(refused("platform: {}\nservices: []\n"), []);
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { runPreview } from "../../tools/preview";
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

/**
 * Red-team cases for the API front door: realistic edits to the front door's
 * component (and to index.ts) that would open the mesh to the internet, each
 * planned offline with a catalog that exposes services and judged by the real
 * pack in both modes. The unedited program plans clean with the same catalog,
 * so every refusal below comes from the edit.
 */
import * as assert from "assert";
import { Edit, mandatoryOf, planEdited, RedTeamCase } from "./harness";
import { frontDoorCatalog } from "./front-door-catalog";
import { redTeamSuite } from "./run";

const API = "components/frontDoorApi.ts";
const DOOR = "components/frontDoor.ts";

/** The stage's WAF association as the component writes it. */
const WAF_ASSOCIATION = `        new aws.wafv2.WebAclAssociation(\`\${name}-waf\`, {
            resourceArn: this.stage.arn,
            webAclArn: this.webAcl.arn,
        }, parent);`;
const IMPORTS = `import * as aws from "@pulumi/aws";\n`;
const inIndex = (code: string): Edit[] => [{ file: "index.ts", before: "import * as pulumi", insert: IMPORTS }, { file: "index.ts", insert: code }];

const cases: RedTeamCase[] = [
    {
        name: "public method: every method's authorization hard-coded to NONE",
        edits: [{ file: API, replace: ["authorization: AUTHORIZATION_TYPE[m.auth],", 'authorization: "NONE",'] }],
        expect: "apigateway-method-authorized",
    },
    {
        name: "an authorizer removed: methods keep their authorization type without an authorizerId",
        edits: [{ file: API, replace: ["authorizerId: authorizers[m.auth]?.id,", ""] }],
        expect: "apigateway-method-authorized",
    },
    {
        name: "stage without WAF: the web ACL association commented out",
        edits: [{ file: API, replace: [WAF_ASSOCIATION, `/* WAF off during the load test (PERF-88)\n${WAF_ASSOCIATION}\n*/`] }],
        expect: "apigateway-stage-waf",
    },
    {
        name: "HTTP integration to a public URL instead of the VPC link",
        edits: [
            { file: API, replace: ['connectionType: "VPC_LINK",', 'connectionType: "INTERNET",'] },
            { file: API, replace: ["connectionId: this.vpcLink.id,", ""] },
            { file: API, replace: ["integrationTarget: args.alb.arn,", ""] },
            { file: API, replace: ["uri: pulumi.interpolate`http://${args.alb.dnsName}", "uri: pulumi.interpolate`https://orders.example.com"] },
        ],
        expect: "apigateway-integration-private",
    },
    {
        name: "a second REST API outside the front door, straight to a service",
        edits: inIndex(`const direct = new aws.apigateway.RestApi("orders-direct", { endpointConfiguration: { types: "REGIONAL" } });
new aws.apigateway.Method("orders-direct-any", { restApi: direct.id, resourceId: direct.rootResourceId, httpMethod: "ANY", authorization: "AWS_IAM" });`),
        expect: "frontdoor-only-internet-facing",
    },
    {
        name: "the REST API switched to an EDGE endpoint",
        edits: [{ file: API, replace: ['endpointConfiguration: { types: "REGIONAL" },', 'endpointConfiguration: { types: "EDGE" },'] }],
        expect: "apigateway-rest-api-regional",
    },
    {
        name: "the REST API switched to a PRIVATE endpoint",
        edits: [{ file: API, replace: ['endpointConfiguration: { types: "REGIONAL" },', 'endpointConfiguration: { types: "PRIVATE" },'] }],
        expect: "apigateway-rest-api-regional",
    },
    {
        name: "stage access logs dropped",
        edits: [{ file: API, replace: ["accessLogSettings: { destinationArn: logGroup.arn, format: ACCESS_LOG_FORMAT },", ""] }],
        expect: "apigateway-stage-access-logging",
    },
    {
        name: "stage throttling turned off (-1 disables the limit)",
        edits: [
            { file: API, replace: ["throttlingRateLimit: fd.throttling.rateLimit,", "throttlingRateLimit: -1,"] },
            { file: API, replace: ["throttlingBurstLimit: fd.throttling.burstLimit,", "throttlingBurstLimit: -1,"] },
        ],
        expect: "apigateway-stage-throttling",
    },
    {
        name: "edge VPC: an internet gateway attached for 'debugging'",
        edits: [{ file: DOOR, before: "        this.alb = new aws.lb.LoadBalancer(", insert: "        new aws.ec2.InternetGateway(`${name}-debug-igw`, { vpcId: this.vpc.vpc.id }, parent);\n" }],
        expect: ["no-internet-or-cross-vpc-gateways", "frontdoor-only-internet-facing"],
    },
    {
        name: "edge VPC: the edge load balancer made internet-facing",
        edits: [{ file: DOOR, replace: ["internal: true,", "internal: false,"] }],
        expect: ["load-balancer-internal", "frontdoor-only-internet-facing"],
    },
    {
        name: "edge VPC: an interface endpoint to a service the catalog does not route through the VPC link (the directly integrated function's)",
        edits: [{ file: DOOR, replace: ["for (const svc of viaLink) {", "for (const svc of args.services) {"] }],
        expect: ["interface-endpoint-declared", "declared-edges-only"],
    },
];

redTeamSuite("red team: the API front door", cases.map((c) => ({ ...c, stackConfig: c.stackConfig ?? frontDoorCatalog() })));

describe("red team: the API front door baseline", function () {
    this.timeout(120_000);
    it("the unedited program with the front-door catalog plans with 0 mandatory violations, and lists the honoured open route", async () => {
        const r = await planEdited([], { mode: "up", stackConfig: frontDoorCatalog() });
        assert.deepStrictEqual(mandatoryOf(r.violations).map((v) => `${v.policy}: ${v.message.split("\n").pop()}`), []);
        assert.ok(r.resources.some((x) => x.type === "aws:apigateway/stage:Stage"), "the catalog builds a front door");
        const integrations = r.resources.filter((x) => x.type === "aws:apigateway/integration:Integration").map((x) => x.inputs?.type);
        assert.ok(integrations.includes("HTTP_PROXY") && integrations.includes("AWS_PROXY"), `both integration kinds are exercised: ${integrations}`);
        const honoured = r.violations.filter((v) => v.policy === "apigateway-method-authorized" && v.enforcementLevel === "advisory");
        assert.match(honoured.map((v) => v.message).join("\n"), /web \/health: web-health-get/);
    });
});

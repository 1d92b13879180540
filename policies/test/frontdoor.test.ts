import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import { ResourceRecord } from "../evaluate";
import { rules } from "../rules";
import { isStackRule } from "../lib/rule";
import { afterUp } from "./fixtures";
import { DEFAULT_ROUTES, fd, FIXTURE_JWT, FRONT_DOOR_RECORD, frontDoor, frontDoorConfig, OPEN_ROUTE, openRouteConfig, PLATFORM_RECORD, root } from "./frontdoor-fixtures";
import { rec } from "./fixtures";
import { FRONT_DOOR_COMPONENT, frontDoorMethodName } from "../lib/front-door";
import { assertClean, assertTrips, byPolicy, mandatory, patch, run, without } from "./helpers";

const FRONTDOOR_RULES = rules.filter((r) => r.meta.area === "frontdoor").map((r) => r.name);

const MAIN_METHOD = frontDoorMethodName("orders", "/orders", "GET");

describe("front door rules", () => {
    it("has cases for every frontdoor stack rule here (resource rules: cases.ts)", () => {
        const text = fs.readFileSync(__filename, "utf8");
        const missing = rules.filter((r) => r.meta.area === "frontdoor" && isStackRule(r)).map((r) => r.name).filter((n) => !text.includes(`"${n}"`));
        assert.deepStrictEqual(missing, []);
    });

    for (const mode of ["preview", "up"] as const) {
        it(`passes a compliant front door in ${mode} mode`, async () => {
            const { all } = frontDoor();
            const vs = await run(mode === "up" ? afterUp(all) : all, FRONTDOOR_RULES, { mode, stackConfig: frontDoorConfig() });
            assertClean(vs);
        });
    }

    it("in preview, a value only `up` knows defers the rule (the engine's \"can't run during preview\"), never a silent pass", async () => {
        const deferred = async (records: ResourceRecord[], policy: string) => {
            const vs = await run(records, [policy], { mode: "preview" });
            assert.ok(vs.some((v) => v.policy === policy && /during preview/.test(v.message)), `${policy}: ${JSON.stringify(vs.map((v) => v.message))}`);
        };
        await deferred(patch(frontDoor().all, MAIN_METHOD, { authorization: "<unknown>" }), "apigateway-method-authorized");
        await deferred(patch(frontDoor().all, `${MAIN_METHOD}-integration`, { connectionType: "<unknown>" }), "apigateway-integration-private");
        await deferred(patch(frontDoor().all, "front-door-stage", { xrayTracingEnabled: "<unknown>" }), "apigateway-stage-xray-tracing");
        await deferred(patch(frontDoor().all, "front-door-all-methods", { settings: { metricsEnabled: true, loggingLevel: "ERROR", throttlingRateLimit: "<unknown>", throttlingBurstLimit: 10 } }), "apigateway-stage-throttling");
        await deferred(patch(frontDoor().all, "front-door-all-methods", { settings: { metricsEnabled: "<unknown>", loggingLevel: "ERROR", throttlingRateLimit: 10, throttlingBurstLimit: 10 } }), "apigateway-stage-execution-metrics");
        await deferred(patch(frontDoor().all, "front-door-waf", { rules: "<unknown>" }), "apigateway-stage-waf");
        await deferred(patch(frontDoor().all, "front-door-access", { retentionInDays: "<unknown>" }), "apigateway-access-log-group");
        await deferred(patch(frontDoor().all, "front-door-domain", { securityPolicy: "<unknown>" }), "apigateway-domain-tls");
        await deferred(patch(frontDoor().all, "front-door-api", { endpointConfiguration: { types: "<unknown>" } }), "apigateway-rest-api-regional");
    });

    describe("apigateway-method-authorized", () => {
        const P = "apigateway-method-authorized";

        it("refuses a method with authorization NONE that serves no open route", async () => {
            const vs = mandatory(await run(patch(frontDoor().all, MAIN_METHOD, { authorization: "NONE" }), [P]));
            assertTrips(vs, P, MAIN_METHOD, 'authorization = "NONE"', "no open route");
        });

        it("refuses CUSTOM / COGNITO_USER_POOLS without an authorizerId (an authorizer removed)", async () => {
            const { all } = frontDoor();
            const bad = all.map((r) => (r.name === MAIN_METHOD ? { ...r, inputs: { ...r.inputs, authorizerId: undefined }, propertyDependencies: { ...r.propertyDependencies, authorizerId: [] } } : r));
            assertTrips(mandatory(await run(bad, [P])), P, 'authorization = "COGNITO_USER_POOLS" without an authorizerId');
        });

        it("honours a route the catalog declares auth: none with a reason, and reports it as advisory", async () => {
            const routes = [...DEFAULT_ROUTES, OPEN_ROUTE];
            const { all } = frontDoor(routes);
            const name = frontDoorMethodName("orders", "/orders/public", "GET");
            const proxy = { ...all.find((r) => r.name === name)!, name: `${name}-proxy` };
            proxy.urn = proxy.urn.replace(/::[^:]+$/, `::${name}-proxy`);
            const vs = await run([...all, proxy], [P], { stackConfig: openRouteConfig() });
            assert.deepStrictEqual(mandatory(vs), []);
            const adv = byPolicy(vs, P).filter((v) => v.enforcementLevel === "advisory");
            assert.strictEqual(adv.length, 1);
            assert.match(adv[0].message, /orders \/orders\/public: orders-orders-public-get \(public catalogue listing, cached\), orders-orders-public-get-proxy/);
        });

        it("does not honour the open route without the catalog, for another HTTP method, or for a method that merely carries its name", async () => {
            const routes = [...DEFAULT_ROUTES, OPEN_ROUTE];
            const name = frontDoorMethodName("orders", "/orders/public", "GET");
            assertTrips(mandatory(await run(frontDoor(routes).all, [P])), P, name);
            const post = patch(frontDoor(routes).all, name, { httpMethod: "POST" });
            assertTrips(mandatory(await run(post, [P], { stackConfig: openRouteConfig() })), P, name, '"POST"');
            // The open route's name on a method of the API's root, outside the front door, with no integration: its name honours nothing.
            const outside = root("aws:apigateway/method:Method", name, { httpMethod: "GET", authorization: "NONE" });
            assertTrips(mandatory(await run([...frontDoor().all, outside], [P], { stackConfig: openRouteConfig() })), P, "GET / is no open route of the catalog");
        });

        it("does not honour an open route whose integration reaches another service than the catalog's (by meaning, not by path or name)", async () => {
            const routes = [...DEFAULT_ROUTES, OPEN_ROUTE];
            const name = frontDoorMethodName("orders", "/orders/public", "GET");
            // Same method, same path, same name: the integration URI now asks the edge ALB for payments' path.
            const elsewhere = patch(frontDoor(routes).all, `${name}-integration`, { uri: "http://front-door-alb.internal/payments/export" });
            const vs = mandatory(await run(elsewhere, [P], { stackConfig: openRouteConfig() }));
            assertTrips(vs, P, name, "orders's open route", "reaches payments");
            // In preview the URI is unknown: the engine's "can't run during preview", never a pass.
            const unknown = patch(frontDoor(routes).all, `${name}-integration`, { uri: "<unknown>" });
            const pv = await run(unknown, [P], { stackConfig: openRouteConfig(), mode: "preview" });
            assert.ok(pv.some((v) => v.policy === P && /during preview/.test(v.message)), JSON.stringify(pv.map((v) => v.message)));
        });

        it("does not honour a route whose auth: none has no reason", async () => {
            const cfg = openRouteConfig();
            const services = JSON.parse(JSON.stringify(cfg["privatelink-platform:services"])) as { expose?: { routes: { reason?: string }[] } }[];
            for (const r of services[0].expose!.routes) delete r.reason;
            const routes = [...DEFAULT_ROUTES, OPEN_ROUTE];
            const vs = mandatory(await run(frontDoor(routes).all, [P], { stackConfig: { "privatelink-platform:services": services } }));
            assertTrips(vs, P, "orders-orders-public-get");
        });

        it("lets a CORS preflight OPTIONS method answered by a MOCK integration stay open, but not one that reaches a service", async () => {
            const routes = [...DEFAULT_ROUTES, { service: "orders", path: "/orders", method: "OPTIONS", auth: "NONE" as const }];
            const name = frontDoorMethodName("orders", "/orders", "OPTIONS");
            const viaLink = frontDoor(routes).all;
            assertTrips(mandatory(await run(viaLink, [P])), P, name);
            const mock = patch(viaLink, `${name}-integration`, { type: "MOCK", connectionType: undefined, connectionId: undefined, uri: undefined });
            assertClean(await run(mock, [P]), P);
        });
    });

    describe("apigateway-routes-match-catalog", () => {
        const P = "apigateway-routes-match-catalog";
        const cfg = frontDoorConfig();
        const judge = async (rs: ResourceRecord[], stackConfig = cfg) => mandatory(await run(rs, [P], { stackConfig }));
        const urnOf = (all: ResourceRecord[], name: string) => all.find((r) => r.name === name)!.urn;

        it("refuses a method the catalog does not declare, whatever it is called", async () => {
            const { all } = frontDoor([...DEFAULT_ROUTES, { service: "orders", path: "/orders", method: "DELETE", auth: "COGNITO_USER_POOLS" }]);
            assertTrips(await judge(all), P, frontDoorMethodName("orders", "/orders", "DELETE"), "DELETE /orders", "no route of the catalog", "Fix: declare it under services[].expose.routes");
        });

        it("refuses a catalog route whose integration reaches another service: through its URI, or a listener rule that takes its path first", async () => {
            const viaUri = patch(frontDoor().all, `${MAIN_METHOD}-integration`, { uri: "http://front-door-alb.internal/payments" });
            assertTrips(await judge(viaUri), P, MAIN_METHOD, "reaches payments", "the load balancer sees /payments", "belongs to orders");
            const { all } = frontDoor();
            const listener = all.find((r) => r.name === "front-door-http")!;
            const paymentsGroup = all.find((r) => r.name === "front-door-payments")!;
            const grab = fd(
                "aws:lb/listenerRule:ListenerRule",
                "front-door-catch-all",
                { listenerArn: "<unknown>", priority: 1, conditions: [{ pathPattern: { values: ["/*"] } }], actions: [{ type: "forward", targetGroupArn: "<unknown>" }] },
                { deps: { listenerArn: listener, actions: paymentsGroup } },
            );
            assertTrips(await judge([...all, grab]), P, MAIN_METHOD, "reaches payments");
        });

        it("refuses a VPC link placed in a service's VPC, and an integration target outside the edge VPC", async () => {
            const { all } = frontDoor();
            const ordersSubnets = all.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.startsWith("orders-")).map((r) => r.urn);
            const moved = patch(all, "front-door-link", {}, { subnetIds: ordersSubnets });
            assertTrips(await judge(moved), P, "VPC link front-door-link sits in orders's VPC, not the front door's edge VPC");
            const direct = patch(all, `${MAIN_METHOD}-integration`, {}, { integrationTarget: [urnOf(all, "orders-nlb")] });
            assertTrips(await judge(direct), P, "integration target orders-nlb sits in orders's VPC");
        });

        it("refuses the wrong authorization, a Cognito authorizer of another pool, and a token authorizer that is not the edge's", async () => {
            assertTrips(await judge(patch(frontDoor().all, MAIN_METHOD, { authorization: "AWS_IAM", authorizerId: undefined })), P, 'authorization = "AWS_IAM"', "auth: cognito");
            const pool = "arn:aws:cognito-idp:us-east-1:999999999999:userpool/us-east-1_evil";
            assertTrips(await judge(patch(frontDoor().all, "front-door-cognito", { providerArns: [pool] })), P, "trusts the user pools", pool);
            const { all } = frontDoor();
            const paymentsSubnets = all.filter((r) => r.type === "aws:ec2/subnet:Subnet" && r.name.startsWith("payments-")).map((r) => r.urn);
            const moved = patch(all, "front-door-authorizer", {}, { vpcConfig: paymentsSubnets });
            assertTrips(await judge(moved), P, frontDoorMethodName("orders", "/orders/admin", "POST"), "runs in payments's VPC", "not the front door's token authorizer");
        });

        it("refuses a token authorizer whose function verifies another issuer, other audiences or other keys than the configuration's", async () => {
            const ADMIN = frontDoorMethodName("orders", "/orders/admin", "POST");
            const env = (vars: Record<string, string>) => ({ environment: { variables: { JWT_ISSUER: FIXTURE_JWT.issuer, JWT_AUDIENCES: '["orders-api"]', JWKS_SHA256: createHash("sha256").update(FIXTURE_JWT.jwks).digest("hex"), ...vars } } });
            assertClean(await judge(patch(frontDoor().all, "front-door-authorizer", env({}))), P);
            assertTrips(await judge(patch(frontDoor().all, "front-door-authorizer", env({ JWT_ISSUER: "https://login.staging.example/" }))), P, ADMIN, 'accepts tokens of the issuer "https://login.staging.example/" (JWT_ISSUER)', "platform.frontDoor.jwt.issuer", "Fix:");
            assertTrips(await judge(patch(frontDoor().all, "front-door-authorizer", env({ JWT_AUDIENCES: '["orders-api","admin-api"]' }))), P, ADMIN, 'accepts the audiences ["orders-api","admin-api"]', "platform.frontDoor.jwt.audiences");
            assertTrips(await judge(patch(frontDoor().all, "front-door-authorizer", env({ JWT_AUDIENCES: "orders-api" }))), P, ADMIN, 'JWT_AUDIENCES = "orders-api", not a JSON array');
            const other = createHash("sha256").update('{"keys":[]}').digest("hex");
            assertTrips(await judge(patch(frontDoor().all, "front-door-authorizer", env({ JWKS_SHA256: other }))), P, ADMIN, `keys whose SHA-256 is "${other}" (JWKS_SHA256)`, "platform.frontDoor.jwt.jwks");
            // A function that says nothing of what it verifies is not the configured one.
            assertTrips(await judge(patch(frontDoor().all, "front-door-authorizer", { environment: undefined })), P, ADMIN, "JWKS_SHA256");
            // The same JWKS document written with other whitespace is the same document.
            const spaced = JSON.stringify(JSON.parse(FIXTURE_JWT.jwks), null, 2);
            const platform = cfg["privatelink-platform:platform"] as { frontDoor: Record<string, unknown> };
            const respaced = { ...cfg, "privatelink-platform:platform": { frontDoor: { ...platform.frontDoor, jwt: { ...FIXTURE_JWT, jwks: spaced } } } };
            assertClean(await judge(frontDoor().all, respaced), P);
            // Still needing input: the function must accept nothing (no issuer, no audience, no key).
            const pending = { ...cfg, "privatelink-platform:platform": { frontDoor: { ...platform.frontDoor, jwt: { issuer: { needsInput: "issuer" }, audiences: { needsInput: "aud" }, jwks: { needsInput: "keys" } } } } };
            assertTrips(await judge(frontDoor().all, pending), P, ADMIN, "not the configured \"\" (platform.frontDoor.jwt.issuer)");
            assertClean(await judge(patch(frontDoor().all, "front-door-authorizer", env({ JWT_ISSUER: "", JWT_AUDIENCES: "[]", JWKS_SHA256: other })), pending), P);
        });

        it("in preview, a token authorizer's environment only `up` knows defers the rule", async () => {
            const unknown = patch(frontDoor().all, "front-door-authorizer", { environment: { variables: { JWT_ISSUER: "<unknown>", JWT_AUDIENCES: '["orders-api"]', JWKS_SHA256: "<unknown>" } } });
            const pv = await run(unknown, [P], { stackConfig: cfg, mode: "preview" });
            assert.deepStrictEqual(mandatory(pv), []);
            assert.ok(pv.some((v) => v.policy === P && /during preview/.test(v.message)), JSON.stringify(pv.map((v) => v.message)));
        });

        it("in preview, an integration URI only `up` knows defers the rule; a route the stack's API lacks is advisory", async () => {
            const unknown = patch(frontDoor().all, `${MAIN_METHOD}-integration`, { uri: "<unknown>" });
            const pv = await run(unknown, [P], { stackConfig: cfg, mode: "preview" });
            assert.ok(pv.some((v) => v.policy === P && /during preview/.test(v.message)), JSON.stringify(pv.map((v) => v.message)));
            const missing = await run(frontDoor(DEFAULT_ROUTES.slice(1)).all, [P], { stackConfig: cfg });
            assert.deepStrictEqual(mandatory(missing), []);
            assert.match(byPolicy(missing, P).map((v) => v.message).join("\n"), /does not serve yet: GET \/orders \(orders\)/);
        });
    });

    describe("apigateway-resource-policy-restricted", () => {
        const P = "apigateway-resource-policy-restricted";
        const stackConfig = { ...frontDoorConfig(), "aws:allowedAccountIds": ["111111111111"] };
        const policy = (condition?: Record<string, unknown>) =>
            JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Callers", Effect: "Allow", Principal: { AWS: "*" }, Action: "execute-api:Invoke", Resource: "execute-api:/*", ...(condition ? { Condition: condition } : {}) }] });

        it("refuses an Allow to every AWS account while the API has AWS_IAM routes, inline or as a RestApiPolicy", async () => {
            const inline = patch(frontDoor().all, "front-door-api", { policy: policy() });
            assertTrips(mandatory(await run(inline, [P], { stackConfig })), P, "front-door-api", "statement Callers", "any AWS account", "payments-payments-any");
            const { all, api } = frontDoor();
            const separate = fd("aws:apigateway/restApiPolicy:RestApiPolicy", "front-door-api-policy", { restApiId: "<unknown>", policy: policy({ IpAddress: { "aws:SourceIp": "198.51.100.0/24" } }) }, { deps: { restApiId: api } });
            assertTrips(mandatory(await run([...all, separate], [P], { stackConfig })), P, "front-door-api-policy", "no condition restricting the caller");
        });

        it("admits one restricted to the environment's accounts, and any policy on an API without AWS_IAM routes", async () => {
            const own = patch(frontDoor().all, "front-door-api", { policy: policy({ StringEquals: { "aws:PrincipalAccount": "111111111111" } }) });
            assertClean(await run(own, [P], { stackConfig }), P);
            const foreign = patch(frontDoor().all, "front-door-api", { policy: policy({ StringEquals: { "aws:PrincipalAccount": "999999999999" } }) });
            assertTrips(mandatory(await run(foreign, [P], { stackConfig })), P, "front-door-api");
            const noIam = patch(frontDoor(DEFAULT_ROUTES.slice(0, 2)).all, "front-door-api", { policy: policy() });
            assertClean(await run(noIam, [P], { stackConfig }), P);
        });
    });

    describe("stage rules", () => {
        it("apigateway-stage-waf: a stage without a WAF association", async () => {
            const vs = mandatory(await run(without(frontDoor().all, "front-door-waf-stage"), ["apigateway-stage-waf"]));
            assertTrips(vs, "apigateway-stage-waf", "front-door-stage", "has no WAF");
        });

        it("apigateway-stage-waf: an association to another resource does not count; a CLOUDFRONT or empty ACL is refused", async () => {
            const { all, api } = frontDoor();
            const elsewhere = patch(all, "front-door-waf-stage", {}, { resourceArn: [api.urn] });
            assertTrips(mandatory(await run(elsewhere, ["apigateway-stage-waf"])), "apigateway-stage-waf", "has no WAF");
            const empty = patch(all, "front-door-waf", { rules: [], scope: "CLOUDFRONT" });
            assertTrips(mandatory(await run(empty, ["apigateway-stage-waf"])), "apigateway-stage-waf", 'scope = "CLOUDFRONT"', "no rules");
        });

        it("apigateway-stage-waf: an ACL that blocks nothing, an Allow rule ahead of the blocking ones, a catalog rule group missing or counting", async () => {
            const P = "apigateway-stage-waf";
            const acl = frontDoor().all.find((r) => r.name === "front-door-waf")!;
            const rules = acl.inputs!.rules as Record<string, unknown>[];
            const counting = patch(frontDoor().all, "front-door-waf", { rules: rules.map((r) => ({ ...r, overrideAction: { count: {} } })) });
            assertTrips(mandatory(await run(counting, [P])), P, "front-door-waf", "none of its rules blocks anything");
            const allowFirst = { name: "partners", priority: -1, action: { allow: {} }, statement: { ipSetReferenceStatement: { arn: "<unknown>" } }, visibilityConfig: rules[0].visibilityConfig };
            assertTrips(mandatory(await run(patch(frontDoor().all, "front-door-waf", { rules: [allowFirst, ...rules] }), [P])), P, 'rule "partners" allows the requests it matches past the blocking rules');
            const named = { "privatelink-platform:platform": { frontDoor: { waf: { managedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"] } } } };
            assertTrips(mandatory(await run(frontDoor().all, [P], { stackConfig: named })), P, "AWSManagedRulesKnownBadInputsRuleSet is missing");
            assertClean(await run(frontDoor().all, [P], { stackConfig: { "privatelink-platform:platform": { frontDoor: { waf: { managedRuleGroups: ["AWSManagedRulesCommonRuleSet"] } } } } }), P);
        });

        it("apigateway-stage-throttling: no */* settings, zero limits, or a usage plan while methods need no key", async () => {
            const P = "apigateway-stage-throttling";
            assertTrips(mandatory(await run(without(frontDoor().all, "front-door-all-methods"), [P])), P, "front-door-stage", 'methodPath "*/*"');
            const zero = patch(frontDoor().all, "front-door-all-methods", { settings: { metricsEnabled: true, loggingLevel: "ERROR", throttlingRateLimit: 0, throttlingBurstLimit: 200 } });
            assertTrips(mandatory(await run(zero, [P])), P, "rate 0");
            const { all, stage, api } = frontDoor();
            const plan = fd("aws:apigateway/usagePlan:UsagePlan", "front-door-partners", { apiStages: [{ apiId: "<unknown>", stage: "<unknown>" }], throttleSettings: { rateLimit: 10, burstLimit: 20 } }, { deps: { apiStages: [api, stage] } });
            const noSettings = [...without(all, "front-door-all-methods"), plan];
            assertTrips(mandatory(await run(noSettings, [P])), P, "not throttled");
            const keyed = noSettings.map((r) => (r.type === "aws:apigateway/method:Method" ? { ...r, inputs: { ...r.inputs, apiKeyRequired: true } } : r));
            assertClean(await run(keyed, [P]), P);
        });

        it("apigateway-stage-execution-metrics: metrics off or logging OFF", async () => {
            const P = "apigateway-stage-execution-metrics";
            const off = patch(frontDoor().all, "front-door-all-methods", { settings: { metricsEnabled: false, loggingLevel: "OFF", throttlingRateLimit: 100, throttlingBurstLimit: 200 } });
            assertTrips(mandatory(await run(off, [P])), P, "metricsEnabled false", 'loggingLevel "OFF"');
        });

        it("apigateway-access-log-group: unencrypted, never-expiring, or a pasted destination", async () => {
            const P = "apigateway-access-log-group";
            const bare = frontDoor().all.map((r) => (r.name === "front-door-access" ? { ...r, inputs: { retentionInDays: 0 }, propertyDependencies: {} } : r));
            assertTrips(mandatory(await run(bare, [P])), P, "front-door-access", "no kmsKeyId", "retentionInDays = 0");
            const pasted = patch(frontDoor().all, "front-door-stage", { accessLogSettings: { destinationArn: "arn:aws:logs:us-east-1:999999999999:log-group:elsewhere", format: "$context.requestId" } }, { accessLogSettings: [] });
            assertTrips(mandatory(await run(pasted, [P])), P, "not a log group of this stack", "999999999999");
        });
    });

    describe("apigateway-integration-private", () => {
        const P = "apigateway-integration-private";
        const NAME = `${MAIN_METHOD}-integration`;

        it("refuses an HTTP integration to a public URL", async () => {
            const bad = patch(frontDoor().all, NAME, { type: "HTTP_PROXY", connectionType: "INTERNET", connectionId: undefined, uri: "https://orders.example.com/{proxy}" }, { connectionId: [] });
            assertTrips(mandatory(await run(bad, [P])), P, NAME, '"https://orders.example.com/{proxy}"', "public URL");
            const dflt = patch(frontDoor().all, NAME, { type: "HTTP", connectionType: undefined, connectionId: undefined, uri: "http://203.0.113.10/" }, { connectionId: [] });
            assertTrips(mandatory(await run(dflt, [P])), P, '"INTERNET"');
        });

        it("refuses AWS service integrations and AWS_PROXY to a function not of this stack; admits AWS_PROXY to the stack's function", async () => {
            const aws = patch(frontDoor().all, NAME, { type: "AWS", connectionType: undefined, uri: "arn:aws:apigateway:us-east-1:sqs:path/111111111111/q" }, { connectionId: [] });
            assertTrips(mandatory(await run(aws, [P])), P, "AWS service integration");
            const foreign = patch(frontDoor().all, NAME, { type: "AWS_PROXY", connectionType: undefined, uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:999999999999:function:x/invocations" }, { connectionId: [] });
            assertTrips(mandatory(await run(foreign, [P])), P, "not a Lambda function of this stack");
            const fn = root("aws:lambda/function:Function", "notifier-fn", { runtime: "nodejs22.x" });
            const own = patch([...frontDoor().all, fn], NAME, { type: "AWS_PROXY", connectionType: undefined, uri: "<unknown>" }, { connectionId: [], uri: [fn.urn] });
            assertClean(await run(own, [P]), P);
        });

        it("refuses a VPC_LINK integration whose connectionId is not a VPC link", async () => {
            const { all } = frontDoor();
            const nlb = root("aws:lb/loadBalancer:LoadBalancer", "some-nlb", { internal: true });
            const bad = patch([...all, nlb], NAME, {}, { connectionId: [nlb.urn] });
            assertTrips(mandatory(await run(bad, [P])), P, "not a VPC link");
        });
    });

    describe("frontdoor-only-internet-facing", () => {
        const P = "frontdoor-only-internet-facing";

        it("refuses a second REST API outside the front door, and a second one inside it", async () => {
            const extra = root("aws:apigateway/restApi:RestApi", "orders-direct", { endpointConfiguration: { types: "REGIONAL" } });
            assertTrips(mandatory(await run([...frontDoor().all, extra], [P])), P, "orders-direct", "outside the platform's front door");
            const inner = fd("aws:apigateway/restApi:RestApi", "front-door-api-2", { endpointConfiguration: { types: "REGIONAL" } });
            assertTrips(mandatory(await run([...frontDoor().all, inner], [P])), P, "2 REST APIs");
        });

        it("refuses a PRIVATE-less internet-facing resource anywhere: function URL, public load balancer inside the front door", async () => {
            const url = root("aws:lambda/functionUrl:FunctionUrl", "notifier-url", { authorizationType: "AWS_IAM" });
            const alb = fd("aws:lb/loadBalancer:LoadBalancer", "front-door-alb", { internal: false, loadBalancerType: "application" });
            const vs = mandatory(await run([...frontDoor().all, url, alb], [P]));
            assertTrips(vs, P, "notifier-url", "function URL");
            assertTrips(vs, P, "front-door-alb", "inside the front door");
        });

        it("trusts the front door by identity: a component reusing its type token, even under the same chain of types, trusts nothing inside it", async () => {
            // A second platform component at the root, with a front door of its own: the URN chain reads exactly like the platform's.
            const shadowPlatform = root("privatelink:index:Platform", "shadow", {}, { custom: false });
            const shadowDoor = rec(FRONT_DOOR_COMPONENT, "shadow-door", {}, { urn: FRONT_DOOR_RECORD.urn.replace(/::front-door$/, "::shadow-door"), parent: shadowPlatform.urn, custom: false });
            const api = fd("aws:apigateway/restApi:RestApi", "shadow-api", { endpointConfiguration: { types: "REGIONAL" } }, { parent: shadowDoor.urn });
            const vs = mandatory(await run([...frontDoor().all, shadowPlatform, shadowDoor, api], [P]));
            assertTrips(vs, P, "shadow-door", "not the platform's front door");
            assertTrips(vs, P, "shadow-api", "outside the platform's front door");
            // A front door under the platform that the platform did not create as its one front door: neither is trusted.
            const second = rec(FRONT_DOOR_COMPONENT, "front-door-2", {}, { urn: FRONT_DOOR_RECORD.urn.replace(/::front-door$/, "::front-door-2"), parent: PLATFORM_RECORD.urn, custom: false });
            assertTrips(mandatory(await run([...frontDoor().all, second], [P])), P, "front-door-api", "outside the platform's front door");
        });

        it("admits a PRIVATE REST API outside the front door (not internet-facing) and an internal load balancer", async () => {
            const priv = root("aws:apigateway/restApi:RestApi", "internal-api", { endpointConfiguration: { types: "PRIVATE" } });
            const alb = fd("aws:lb/loadBalancer:LoadBalancer", "front-door-alb", { internal: true, loadBalancerType: "application" });
            assertClean(await run([...frontDoor().all, priv, alb], [P]), P);
        });
    });
});

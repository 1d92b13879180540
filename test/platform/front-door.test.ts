import * as assert from "assert";
import { APIGW } from "../../policies/lib/apigateway";
import { TYPES } from "../../policies/lib/plan/types";
import { Address4 } from "ip-address";
import { ExposedMethod, exposedMethods, findProblems, FRONT_DOOR_CONSUMER } from "../../components/catalog";
import { methodSettingsPath } from "../../components/frontDoorRoutes";
import { FRONT_DOOR_COMPONENT, openRoutes } from "../../policies/lib/front-door";
import type { ResourceRecord } from "../../tools/preview";
import { Graph, plan, PROJECT, ROOT, stackConfig, withCognitoPool } from "../helpers";
import { everyRuntimeCatalog } from "./every-runtime-catalog";
import { one, pathToWorkload, WORKLOAD } from "./paths";

/** API Gateway's authorization types (API Gateway API reference, Method authorizationType). */
const AUTHORIZATION: Record<string, string> = { cognito: "COGNITO_USER_POOLS", iam: "AWS_IAM", lambda: "CUSTOM", none: "NONE" };

const T = {
    stage: APIGW.stage,
    method: APIGW.method,
    integration: APIGW.integration,
    authorizer: APIGW.authorizer,
    settings: APIGW.methodSettings,
    vpcLink: APIGW.vpcLinkV2,
    lb: TYPES.loadBalancer,
    rule: TYPES.listenerRule,
    targetGroup: TYPES.targetGroup,
    attachment: TYPES.targetGroupAttachment,
    accepter: TYPES.connectionAccepter,
    endpoint: TYPES.vpcEndpoint,
};

/** The catalog as the program reads it, and its exposed methods. */
function catalogOf(config: Record<string, unknown>, stack: string) {
    const r = findProblems({ platform: config[`${PROJECT}:platform`], services: config[`${PROJECT}:services`] }, { projectDir: ROOT, stack });
    assert.deepStrictEqual(r.problems, []);
    return { catalog: r.catalog!, methods: exposedMethods(r.catalog!.services, r.catalog!.platform.frontDoor!) };
}

function underFrontDoor(r: ResourceRecord): boolean {
    return r.urn.includes(`$${FRONT_DOOR_COMPONENT}$`);
}

/** The front door's resource of a type and logical name. */
function fd(g: Graph, type: string, name: string): ResourceRecord {
    return one(g.ofType(type).filter(r => r.name === name && underFrontDoor(r)), `${type} ${name}`);
}

/** The single resource a property depends on. */
function dep(g: Graph, r: ResourceRecord, prop: string, type: string): ResourceRecord {
    const found = g.deps(r, prop).filter(d => d.type === type);
    assert.strictEqual(found.length, 1, `${r.name}.${prop} -> ${type}: ${g.deps(r, prop).map(d => d.urn).join(", ")}`);
    return found[0];
}

/**
 * Follows one method of a route through URNs and property dependencies:
 * method -> integration -> VPC link + edge ALB -> listener rule -> target
 * group -> attachments (the endpoint's IPs) -> accepter -> interface endpoint
 * -> endpoint service -> NLB -> ... -> workload. Returns the types on the way.
 */
function traceRoute(g: Graph, m: ExposedMethod, proxy: boolean): string[] {
    const name = `${m.name}${proxy ? "-proxy" : ""}`;
    const method = fd(g, T.method, name);
    const integration = fd(g, T.integration, `${name}-integration`);
    assert.strictEqual(dep(g, integration, "httpMethod", T.method).urn, method.urn);
    assert.strictEqual(integration.inputs.type, "HTTP_PROXY");
    assert.strictEqual(integration.inputs.connectionType, "VPC_LINK");
    const link = dep(g, integration, "connectionId", T.vpcLink);
    const alb = dep(g, integration, "integrationTarget", T.lb);
    assert.strictEqual(alb.inputs.internal, true);
    assert.strictEqual(alb.inputs.loadBalancerType, "application");
    assert.match(String(integration.inputs.uri), new RegExp(`^http://internal-[^/]+\\.elb\\.amazonaws\\.com${m.path === "/" ? "" : m.path}${proxy ? "/\\{proxy\\}" : ""}$`));
    // The VPC link's ENIs and the ALB share the edge VPC's subnets.
    assert.deepStrictEqual([...link.propertyDependencies.subnetIds].sort(), [...alb.propertyDependencies.subnets].sort());

    const listener = one(g.listenersOf(alb), "edge listener");
    const rule = one(g.dependents(listener, T.rule, "listenerArn").filter(r =>
        ((r.inputs.conditions as { pathPattern: { values: string[] } }[])[0].pathPattern.values).includes(m.path === "/" ? "/*" : m.path)), `listener rule for ${m.path}`);
    const targetGroup = dep(g, rule, "actions", T.targetGroup);
    assert.strictEqual(targetGroup.inputs.targetType, "ip");
    const attachments = g.dependents(targetGroup, T.attachment, "targetGroupArn");
    assert.ok(attachments.length >= 2, `${targetGroup.name}: ${attachments.length} targets`);
    const accepters = new Set(attachments.map(a => dep(g, a, "targetId", T.accepter).urn));
    const accepter = g.get(one([...accepters], "accepter"));
    const endpoint = dep(g, accepter, "vpcEndpointId", T.endpoint);
    assert.strictEqual((endpoint.inputs.tags as Record<string, string>)["privatelink:edge"], `${FRONT_DOOR_CONSUMER}->${m.service}`);
    // Each target is the private IP of one of the endpoint's interfaces, inside an edge subnet.
    const subnetCidrs = g.deps(endpoint, "subnetIds").map(s => new Address4(String(s.inputs.cidrBlock)));
    for (const a of attachments) {
        const ip = new Address4(String(a.inputs.targetId));
        assert.ok(subnetCidrs.some(c => ip.isInSubnet(c)), `${a.name}: ${String(a.inputs.targetId)} is in no edge subnet`);
    }
    const tail = pathToWorkload(g, endpoint, m.runtime);
    return [method.type, integration.type, link.type, alb.type, listener.type, rule.type, targetGroup.type, T.attachment, accepter.type, ...tail];
}

for (const stack of ["dev", "prod"]) {
    describe(`front door (${stack}): every exposed route reaches its workload through URNs`, function () {
        this.timeout(120_000);
        const config = withCognitoPool(stackConfig(stack));
        const { catalog, methods } = catalogOf(config, stack);
        let g: Graph;
        before(async () => {
            const result = await plan(config, "up", stack);
            assert.deepStrictEqual(result.errors ?? [], []);
            g = new Graph(result);
        });

        it("exposes services of several runtimes with several auth modes", () => {
            const runtimes = new Set(methods.map(m => m.runtime));
            const auths = new Set(methods.map(m => m.auth).filter(a => a !== "none"));
            assert.ok(runtimes.has("lambda") && runtimes.has("eks") && runtimes.size >= 3, [...runtimes].join(", "));
            assert.ok(auths.size >= 2, [...auths].join(", "));
        });

        for (const m of methods) {
            for (const proxy of [false, true]) {
                it(`${m.method} ${m.path}${proxy ? "/{proxy+}" : ""} -> ${m.service} (${m.runtime})`, () => {
                    const path = traceRoute(g, m, proxy);
                    assert.strictEqual(path[path.length - 1], WORKLOAD[m.runtime], path.join(" → "));
                });
            }
        }

        it("authorizes every method, except the routes the catalog declares open with a reason", () => {
            const open = new Set(openRoutes(config[`${PROJECT}:services`]).flatMap(r => r.methods.map(x => `${r.service}-${x} ${r.path}`)));
            const api = g.ofType(T.method).filter(underFrontDoor);
            assert.strictEqual(api.length, methods.length * 2);
            for (const m of methods) {
                for (const name of [m.name, `${m.name}-proxy`]) {
                    const method = fd(g, T.method, name);
                    assert.strictEqual(method.inputs.authorization, AUTHORIZATION[m.auth], name);
                    if (m.auth === "none") {
                        assert.ok(open.has(`${m.service}-${m.method} ${m.path}`), `${name} is open without a catalog reason`);
                        assert.strictEqual(method.inputs.authorizerId, undefined);
                    } else if (m.auth === "iam") {
                        assert.strictEqual(method.inputs.authorizerId, undefined);
                    } else {
                        const authorizer = dep(g, method, "authorizerId", T.authorizer);
                        assert.strictEqual(authorizer.inputs.type, m.auth === "cognito" ? "COGNITO_USER_POOLS" : "TOKEN");
                        assert.strictEqual(authorizer.inputs.identitySource, "method.request.header.Authorization");
                    }
                }
            }
        });

        it("sets each route's throttling and cache TTL on its methods, and caches only where the catalog says", () => {
            const stage = one(g.ofType(T.stage).filter(underFrontDoor), "stage");
            for (const m of methods) {
                for (const proxy of [false, true]) {
                    const s = fd(g, T.settings, `${m.name}${proxy ? "-proxy" : ""}-settings`);
                    assert.strictEqual(s.inputs.methodPath, methodSettingsPath(m.path, m.method, proxy));
                    assert.strictEqual(dep(g, s, "stageName", T.stage).urn, stage.urn);
                    const settings = s.inputs.settings as Record<string, unknown>;
                    assert.strictEqual(settings.throttlingRateLimit, m.throttling.rateLimit, s.name);
                    assert.strictEqual(settings.throttlingBurstLimit, m.throttling.burstLimit, s.name);
                    assert.strictEqual(settings.cachingEnabled, m.cacheTtlSeconds > 0, s.name);
                    assert.strictEqual(settings.cacheTtlInSeconds, m.cacheTtlSeconds, s.name);
                    assert.strictEqual(settings.metricsEnabled, true);
                    const integration = fd(g, T.integration, `${m.name}${proxy ? "-proxy" : ""}-integration`);
                    const keys = integration.inputs.cacheKeyParameters as string[];
                    if (m.cacheTtlSeconds > 0) {
                        for (const q of m.cacheKeyQuery) assert.ok(keys.includes(`method.request.querystring.${q}`), `${s.name} caches without ${q}`);
                        if (proxy) assert.ok(keys.includes("method.request.path.proxy"), `${s.name} caches every path as one`);
                        if (m.auth === "cognito" || m.auth === "lambda") assert.ok(keys.includes("method.request.header.Authorization"), `${s.name} would share one caller's answer with others`);
                    } else {
                        assert.deepStrictEqual(keys, []);
                    }
                }
            }
            assert.strictEqual(stage.inputs.cacheClusterEnabled, methods.some(m => m.cacheTtlSeconds > 0));
            // As GetStage stores the keys: every "/" of the resource path written "~1".
            assert.strictEqual(fd(g, T.settings, "search-search-get-proxy-settings").inputs.methodPath, "~1search~1{proxy+}/GET");
        });

        it("logs, traces and protects the stage: encrypted retained access logs, X-Ray, a regional WAF with managed rules and a rate limit", () => {
            const stage = one(g.ofType(T.stage).filter(underFrontDoor), "stage");
            assert.strictEqual(stage.inputs.stageName, catalog.platform.frontDoor!.stageName);
            assert.strictEqual(stage.inputs.xrayTracingEnabled, true);
            const logGroup = dep(g, stage, "accessLogSettings", "aws:cloudwatch/logGroup:LogGroup");
            assert.strictEqual(logGroup.inputs.retentionInDays, catalog.platform.logRetentionDays);
            assert.ok(logGroup.propertyDependencies.kmsKeyId?.length, "access logs are not encrypted with the platform key");
            const association = one(g.dependents(stage, "aws:wafv2/webAclAssociation:WebAclAssociation", "resourceArn"), "WAF association");
            const acl = dep(g, association, "webAclArn", "aws:wafv2/webAcl:WebAcl");
            assert.strictEqual(acl.inputs.scope, "REGIONAL");
            const rules = acl.inputs.rules as { name: string; statement: Record<string, { name?: string; limit?: number }> }[];
            assert.deepStrictEqual(rules.filter(r => r.statement.managedRuleGroupStatement).map(r => r.statement.managedRuleGroupStatement.name), catalog.platform.frontDoor!.waf.managedRuleGroups);
            assert.strictEqual(rules.find(r => r.statement.rateBasedStatement)?.statement.rateBasedStatement.limit, catalog.platform.frontDoor!.waf.rateLimit);
        });

        it("exports the invoke URL in AWS's format and the routes", () => {
            const out = g.result.outputs.frontDoor as { invokeUrl: string; routes: string[] };
            const region = config["aws:region"] as string;
            assert.match(out.invokeUrl, new RegExp(`^https://[a-z0-9]{10}\\.execute-api\\.${region}\\.amazonaws\\.com/${catalog.platform.frontDoor!.stageName}$`));
            assert.strictEqual(out.routes.length, methods.length);
            assert.ok((g.result.outputs.declaredEdges as string[]).includes(`${FRONT_DOOR_CONSUMER}->search`));
        });
    });
}

describe("front door: a direct lambda integration, a custom domain, the account role", function () {
    this.timeout(120_000);
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(everyRuntimeCatalog(), "up", "dev"));
    });

    it("invokes a lambda service's function directly (AWS_PROXY), allowed for this API only, without an edge endpoint", () => {
        const integration = fd(g, T.integration, "thumbs-thumbs-get-integration");
        assert.strictEqual(integration.inputs.type, "AWS_PROXY");
        const fn = dep(g, integration, "uri", "aws:lambda/function:Function");
        assert.strictEqual(Graph.serviceOf(fn), "thumbs");
        const permission = one(g.ofType("aws:lambda/permission:Permission").filter(p => underFrontDoor(p) && p.propertyDependencies.function?.includes(fn.urn)), "permission");
        assert.strictEqual(permission.inputs.principal, "apigateway.amazonaws.com");
        assert.ok(g.deps(permission, "sourceArn").some(d => d.type === "aws:apigateway/restApi:RestApi"));
        assert.ok(!g.ofType(T.endpoint).some(e => (e.inputs.tags as Record<string, string>)["privatelink:edge"] === `${FRONT_DOOR_CONSUMER}->thumbs`));
    });

    it("serves the custom domain with TLS 1.2 on a regional endpoint, mapped to the stage", () => {
        const domain = fd(g, "aws:apigateway/domainName:DomainName", "front-door-domain");
        assert.strictEqual(domain.inputs.securityPolicy, "TLS_1_2");
        assert.deepStrictEqual(domain.inputs.endpointConfiguration, { types: "REGIONAL" });
        const mapping = fd(g, "aws:apigateway/basePathMapping:BasePathMapping", "front-door-domain");
        assert.ok(mapping.propertyDependencies.stageName?.some(u => g.get(u).type === T.stage));
    });

    it("creates API Gateway's account role only where the catalog says the stack owns it", async () => {
        const account = fd(g, "aws:apigateway/account:Account", "front-door-account");
        const role = dep(g, account, "cloudwatchRoleArn", "aws:iam/role:Role");
        assert.match(String(role.inputs.assumeRolePolicy), /apigateway\.amazonaws\.com/);
        // Deleting the Account resource resets the account's setting with @pulumi/aws v7 (hashicorp/terraform-provider-aws#42226).
        const policy = one(g.ofType("aws:iam/rolePolicy:RolePolicy").filter(p => p.propertyDependencies.role?.includes(role.urn)), "role policy");
        assert.deepStrictEqual([account, role, policy].map(r => [r.name, r.options.retainOnDelete]), [account, role, policy].map(r => [r.name, true]));
        const stage = one(g.ofType(T.stage).filter(underFrontDoor), "stage");
        assert.ok(stage.dependencies.includes(account.urn), "the stage must wait for the account's role (logging needs it)");
        const config = everyRuntimeCatalog();
        const platform = config[`${PROJECT}:platform`] as { frontDoor: Record<string, unknown> };
        const without = new Graph(await plan({ ...config, [`${PROJECT}:platform`]: { ...platform, frontDoor: { ...platform.frontDoor, manageAccountRole: false } } }, "up", "dev"));
        assert.deepStrictEqual(without.ofType("aws:apigateway/account:Account"), []);
    });
});

describe("front door: an unset Cognito pool (F8)", function () {
    this.timeout(180_000);

    it("the offline cloud refuses a Cognito authorizer without user pools, as the provider does", async () => {
        const { FRONT_DOOR_HANDLERS } = await import("../../tools/preview/cloud/apigateway");
        const handler = FRONT_DOOR_HANDLERS["aws:apigateway/authorizer:Authorizer"];
        const ctx = { inputs: { type: "COGNITO_USER_POOLS", providerArns: [], restApi: "abc" }, region: "us-east-1", account: "111122223333", partition: "aws", hex: () => "0a1b2c3d4e5f60718293a4b5c6d7e8f9", autoname: () => "cognito" };
        assert.throws(() => handler(ctx as never), /provider_arns must be set non-empty when authorizer type is COGNITO_USER_POOLS/);
        assert.ok(handler({ ...ctx, inputs: { ...ctx.inputs, providerArns: ["arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Abc123XyZ"] } } as never).id);
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack} as shipped (pool { needsInput }) plans its Cognito routes as pending: no authorizer, no methods, no error`, async () => {
            const config = stackConfig(stack);
            const result = await plan(config, "preview", stack);
            assert.deepStrictEqual(result.errors ?? [], []);
            const { methods } = catalogOf(withCognitoPool(config), stack);
            const cognito = methods.filter(m => m.auth === "cognito");
            assert.ok(cognito.length > 0);
            const g = new Graph(result);
            assert.deepStrictEqual(g.ofType(T.authorizer).filter(a => a.inputs.type === "COGNITO_USER_POOLS").map(a => a.name), []);
            const names = new Set(g.ofType(T.method).map(m => m.name));
            assert.deepStrictEqual(cognito.filter(m => names.has(m.name)).map(m => m.name), []);
            assert.ok(methods.some(m => m.auth !== "cognito" && names.has(m.name)), "the other routes are planned");
        });
    }
});

describe("front door: usage plans and partner keys only where the plan's services are (F10)", function () {
    this.timeout(300_000);

    it("a shard builds a plan and its partners' keys only when its front door serves one of the plan's services", async () => {
        const env = stackConfig("dev");
        const plans = (env[`${PROJECT}:platform`] as { frontDoor: { usagePlans: { name: string; services: string[]; partners: string[] }[] } }).frontDoor.usagePlans;
        const shards = env[`${PROJECT}:shards`] as { name: string; services: string[] }[];
        const services = env[`${PROJECT}:services`] as { name: string; expose?: unknown }[];
        const exposed = new Set(services.filter(s => s.expose).map(s => s.name));
        let withPlans = 0;
        for (const shard of shards.filter(s => s.services.some(x => exposed.has(x)))) {
            const result = await plan(stackConfig(`dev.${shard.name}`), "up", `dev.${shard.name}`);
            assert.deepStrictEqual(result.errors ?? [], []);
            const expected = plans.filter(p => p.services.some(s => shard.services.includes(s)));
            const usagePlans = result.resources.filter(r => r.type === "aws:apigateway/usagePlan:UsagePlan").map(r => r.name).sort();
            const keys = result.resources.filter(r => r.type === "aws:apigateway/apiKey:ApiKey").map(r => r.name).sort();
            assert.deepStrictEqual(usagePlans, expected.map(p => `front-door-plan-${p.name}`).sort(), shard.name);
            assert.deepStrictEqual(keys, expected.flatMap(p => p.partners.map(k => `front-door-key-${k}`)).sort(), shard.name);
            if (expected.length > 0) withPlans++;
        }
        assert.ok(withPlans >= 1 && withPlans < shards.length);
    });
});

describe("front door: the token authorizer's reserved concurrency is catalog data (NM3)", function () {
    this.timeout(120_000);

    it("reserves platform.frontDoor.authorizerReservedConcurrency (default 50), counted in the Lambda concurrency quota", async () => {
        const config = everyRuntimeCatalog();
        const platform = config[`${PROJECT}:platform`] as { frontDoor: Record<string, unknown> };
        const authorizerOf = (g: Graph) => one(g.ofType("aws:lambda/function:Function").filter(f => underFrontDoor(f)), "authorizer function");
        assert.strictEqual(authorizerOf(new Graph(await plan(config, "up", "dev"))).inputs.reservedConcurrentExecutions, 50);
        const lowered = { ...config, [`${PROJECT}:platform`]: { ...platform, frontDoor: { ...platform.frontDoor, authorizerReservedConcurrency: 20 } } };
        assert.strictEqual(authorizerOf(new Graph(await plan(lowered, "up", "dev"))).inputs.reservedConcurrentExecutions, 20);
    });
});

describe("front door: details (F11, execution logs)", function () {
    this.timeout(120_000);
    let g: Graph;
    before(async () => {
        g = new Graph(await plan(everyRuntimeCatalog(), "up", "dev"));
    });

    it("a client's Cache-Control: max-age=0 on a cached route gets the cached answer, not a 403", () => {
        const cached = g.ofType(T.settings).filter(s => (s.inputs.settings as Record<string, unknown>).cachingEnabled === true);
        assert.ok(cached.length > 0);
        for (const s of cached) assert.strictEqual((s.inputs.settings as Record<string, unknown>).unauthorizedCacheControlHeaderStrategy, "SUCCEED_WITH_RESPONSE_HEADER", s.name);
    });

    it("the token authorizer has no dead-letter queue and no grant to one: API Gateway invokes it synchronously", () => {
        const fn = one(g.ofType("aws:lambda/function:Function").filter(underFrontDoor), "authorizer");
        assert.strictEqual(fn.inputs.deadLetterConfig, undefined);
        assert.deepStrictEqual(g.ofType("aws:sqs/queue:Queue").filter(underFrontDoor).map(q => q.name), []);
        const policy = one(g.ofType("aws:iam/rolePolicy:RolePolicy").filter(p => underFrontDoor(p) && p.name === "front-door-authorizer"), "authorizer policy");
        assert.doesNotMatch(String(policy.inputs.policy), /sqs:SendMessage/);
    });

    it("with a custom domain, the default execute-api endpoint is off", async () => {
        const api = fd(g, "aws:apigateway/restApi:RestApi", "front-door-api");
        assert.strictEqual(api.inputs.disableExecuteApiEndpoint, true);
        const config = everyRuntimeCatalog();
        const platform = config[`${PROJECT}:platform`] as { frontDoor: Record<string, unknown> };
        const { domain: _d, ...noDomain } = platform.frontDoor;
        const without = new Graph(await plan({ ...config, [`${PROJECT}:platform`]: { ...platform, frontDoor: noDomain } }, "up", "dev"));
        assert.strictEqual(fd(without, "aws:apigateway/restApi:RestApi", "front-door-api").inputs.disableExecuteApiEndpoint, false);
    });

    it("creates the stage's execution-log group, with the platform key and retention, before the stage", () => {
        const stage = one(g.ofType(T.stage).filter(underFrontDoor), "stage");
        const api = fd(g, "aws:apigateway/restApi:RestApi", "front-door-api");
        const groups = g.ofType("aws:cloudwatch/logGroup:LogGroup").filter(l => String(l.inputs.name) === `API-Gateway-Execution-Logs_${api.id}/${String(stage.inputs.stageName)}`);
        const group = one(groups, "execution-log group");
        assert.ok(group.inputs.kmsKeyId && Number(group.inputs.retentionInDays) > 0);
        assert.ok(stage.dependencies.includes(group.urn), "the stage waits for the group (API Gateway would create it otherwise)");
    });
});

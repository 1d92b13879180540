// Not in `npm run test:quick`: it plans the program offline.
import * as assert from "assert";
import { exposedMethods, findProblems, frontDoorSchema, jwksProblem } from "../../components/catalog";
import { ACCOUNT_ID } from "../../tools/preview/cloud";
import { catalogConfig, fargate, plan, PROJECT, ROOT } from "../helpers";
import { testJwks } from "../platform/front-door-fixtures";

const lambda = (name: string, extra: Record<string, unknown> = {}) => ({ name, runtime: "lambda", port: 8080, function: { code: "services/notifier" }, ...extra });
const USER_POOL = `arn:aws:cognito-idp:us-east-1:${ACCOUNT_ID}:userpool/us-east-1_Abc123XyZ`;
const FRONT_DOOR = { cognito: { userPoolArn: USER_POOL } };

/** The problems of a catalog, by path. */
function problemsOf(services: unknown[], platform: Record<string, unknown> = { frontDoor: FRONT_DOOR }): Record<string, string> {
    const r = findProblems({ platform, services }, { projectDir: ROOT });
    return Object.fromEntries(r.problems.map(p => [p.path, p.message]));
}

describe("catalog: expose blocks and platform.frontDoor", () => {
    it("accepts a front door over services of every auth mode and resolves each method's settings", () => {
        const services = [
            fargate("web", { expose: { auth: "cognito", throttling: { rateLimit: 20, burstLimit: 40 }, routes: [{ path: "/shop", methods: ["GET", "POST"] }, { path: "/health", methods: ["GET"], auth: "none", reason: "uptime probes, no data", cacheTtlSeconds: 10 }] } }),
            lambda("notify", { expose: { auth: "iam", integration: "lambda", routes: [{ path: "/notify", methods: ["POST"], requestSchema: "schemas/notify-request.json" }] } }),
        ];
        const platform = { frontDoor: { ...FRONT_DOOR, throttling: { rateLimit: 5, burstLimit: 9 } } };
        const r = findProblems({ platform, services }, { projectDir: ROOT });
        assert.deepStrictEqual(r.problems, []);
        const fd = r.catalog!.platform.frontDoor!;
        assert.strictEqual(fd.stageName, "v1");
        assert.strictEqual(fd.manageAccountRole, false);
        const methods = exposedMethods(r.catalog!.services, fd);
        assert.deepStrictEqual(methods.map(m => `${m.name} ${m.auth} ${m.throttling.rateLimit}/${m.throttling.burstLimit} ttl=${m.cacheTtlSeconds}`), [
            "web-shop-get cognito 20/40 ttl=0",
            "web-shop-post cognito 20/40 ttl=0",
            "web-health-get none 20/40 ttl=10",
            "notify-notify-post iam 5/9 ttl=0",
        ]);
        assert.strictEqual(methods[2].reason, "uptime probes, no data");
        assert.strictEqual(methods[3].integration, "lambda");
        assert.strictEqual(methods[3].requestSchema, "schemas/notify-request.json");
    });

    it("refuses an expose block without platform.frontDoor, naming the block and the fix", () => {
        const got = problemsOf([fargate("web", { expose: { auth: "iam", routes: [{ path: "/a", methods: ["GET"] }] } })], {});
        assert.match(got["services[0].expose"], /no front door: add platform\.frontDoor/);
    });

    it("refuses auth none without a reason, on the block and on a route", () => {
        const got = problemsOf([
            fargate("web", { expose: { auth: "none", routes: [{ path: "/a", methods: ["GET"] }] } }),
            fargate("api", { expose: { auth: "iam", routes: [{ path: "/b", methods: ["GET"], auth: "none" }, { path: "/c", methods: ["GET"], auth: "none", reason: "short" }] } }),
        ]);
        assert.match(got["services[0].expose.reason"], /auth none makes every route public: say why in reason/);
        assert.match(got["services[1].expose.routes[0].reason"], /auth none makes this route public/);
        assert.match(got["services[1].expose.routes[1].reason"], /at least 10 characters/);
    });

    it("refuses a route that another service already serves (same prefix and method, or ANY), naming both", () => {
        const got = problemsOf([
            fargate("web", { expose: { auth: "iam", routes: [{ path: "/orders", methods: ["GET", "POST"] }] } }),
            fargate("orders", { expose: { auth: "iam", routes: [{ path: "/orders", methods: ["POST"] }] } }),
            fargate("legacy", { expose: { auth: "iam", routes: [{ path: "/orders", methods: ["ANY"] }, { path: "/orders/export", methods: ["GET"] }] } }),
        ]);
        assert.match(got["services[1].expose.routes[0].methods"], /POST \/orders is already routed to web \(services\[0\]\.expose\.routes\[0\]\)/);
        assert.match(got["services[2].expose.routes[0].methods"], /ANY \/orders is already routed to web/);
        // A longer prefix is another route: the more specific one wins, in API Gateway and on the edge ALB.
        assert.strictEqual(got["services[2].expose.routes[1].methods"], undefined);
    });

    it("refuses paths whose resource names would collide", () => {
        const got = problemsOf([fargate("web", { expose: { auth: "iam", routes: [{ path: "/a-b", methods: ["GET"] }, { path: "/a/b", methods: ["POST"] }] } })]);
        assert.match(got["services[0].expose.routes[1].path"], /would share the resource names "a-b"/);
    });

    it("refuses a request schema that does not exist, is not JSON, or lies outside the repository", () => {
        const got = problemsOf([
            fargate("web", { expose: { auth: "iam", requestSchema: "schemas/missing.json", routes: [{ path: "/a", methods: ["POST"], requestSchema: "package-lock.json/x" }, { path: "/b", methods: ["POST"], requestSchema: "../outside.json" }] } }),
            fargate("api", { expose: { auth: "iam", routes: [{ path: "/c", methods: ["POST"], requestSchema: "README.md" }] } }),
        ]);
        assert.match(got["services[0].expose.requestSchema"], /file "schemas\/missing\.json" does not exist/);
        assert.match(got["services[0].expose.routes[0].requestSchema"], /does not exist/);
        assert.match(got["services[0].expose.routes[1].requestSchema"], /outside the repository/);
        assert.match(got["services[1].expose.routes[0].requestSchema"], /is not valid JSON/);
    });

    it("allows a direct lambda integration only on a lambda service", () => {
        const got = problemsOf([fargate("web", { expose: { auth: "iam", integration: "lambda", routes: [{ path: "/a", methods: ["GET"] }] } })]);
        assert.match(got["services[0].expose.integration"], /a direct lambda integration needs a lambda service \(web is fargate\)/);
    });

    it("requires the authorizer settings the routes use, or a needs-input marker", () => {
        const services = [
            fargate("web", { expose: { auth: "cognito", routes: [{ path: "/a", methods: ["GET"] }] } }),
            fargate("api", { expose: { auth: "lambda", routes: [{ path: "/b", methods: ["GET"] }] } }),
        ];
        const got = problemsOf(services, { frontDoor: {} });
        assert.match(got["platform.frontDoor.cognito.userPoolArn"], /is required: routes use auth cognito/);
        for (const f of ["issuer", "audiences", "jwks"]) {
            assert.match(got[`platform.frontDoor.jwt.${f}`], /is required: routes use auth lambda/);
        }
        const marked = findProblems({
            platform: { frontDoor: { cognito: { userPoolArn: { needsInput: "the shop's user pool" } }, jwt: { issuer: { needsInput: "issuer" }, audiences: { needsInput: "aud" }, jwks: { needsInput: "keys" } } } },
            services,
        }, { projectDir: ROOT, stack: "dev" });
        assert.deepStrictEqual(marked.problems, []);
        const pool = marked.catalog!.needsInput.find(n => n.path === "platform.frontDoor.cognito.userPoolArn")!;
        assert.deepStrictEqual(pool.set, [`pulumi config set --stack dev --path 'privatelink-platform:platform.frontDoor.cognito.userPoolArn' 'arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>'`]);
    });

    it("checks the JWKS document: public RSA keys only", () => {
        assert.strictEqual(jwksProblem(testJwks()), undefined);
        assert.match(jwksProblem("not json")!, /is not JSON/);
        assert.match(jwksProblem(JSON.stringify({ keys: [] }))!, /has no keys/);
        assert.match(jwksProblem(JSON.stringify({ keys: [{ kty: "EC", kid: "k", x: "1", y: "2" }] }))!, /keys\[0\] is not an RSA public key/);
        const withPrivate = JSON.parse(testJwks()) as { keys: Record<string, string>[] };
        withPrivate.keys[0].d = "secret";
        assert.match(jwksProblem(JSON.stringify(withPrivate))!, /holds a private key/);
    });

    it("refuses usage plans naming unknown or unexposed services and a partner in two plans", () => {
        const got = problemsOf([
            fargate("web", { expose: { auth: "iam", routes: [{ path: "/a", methods: ["GET"] }] } }),
            fargate("orders"),
        ], { frontDoor: { usagePlans: [
            { name: "gold", services: ["web", "ordres", "orders"], partners: ["acme"] },
            { name: "gold", services: ["web"], partners: ["acme"] },
        ] } });
        assert.match(got["platform.frontDoor.usagePlans[0].services[1]"], /unknown service "ordres"/);
        assert.match(got["platform.frontDoor.usagePlans[0].services[2]"], /service "orders" is not exposed/);
        assert.match(got["platform.frontDoor.usagePlans[1].name"], /duplicate plan name "gold"/);
        assert.match(got["platform.frontDoor.usagePlans[1].partners[0]"], /partner "acme" already has a key/);
    });

    it("refuses malformed values with the field's path: paths, methods, throttling, TTL, domain, WAF", () => {
        const got = problemsOf([
            fargate("web", { expose: { auth: "oauth", routes: [{ path: "orders/", methods: ["FETCH"], throttling: { rateLimit: 0, burstLimit: 1.5 }, cacheTtlSeconds: 7200 }] } }),
        ], { frontDoor: { vpcCidr: "10.0.0/16", domain: { name: "API.example", certificateArn: "arn:aws:acm:us-east-1:1:certificate/x" }, waf: { rateLimit: 5, managedRuleGroups: ["CommonRuleSet"] } } });
        assert.match(got["services[0].expose.auth"], /use one of cognito, iam, lambda, none/);
        assert.match(got["services[0].expose.routes[0].path"], /is not a path prefix/);
        assert.match(got["services[0].expose.routes[0].methods[0]"], /use one of GET/);
        assert.match(got["services[0].expose.routes[0].throttling.rateLimit"], /must be positive/);
        assert.match(got["services[0].expose.routes[0].throttling.burstLimit"], /whole number/);
        assert.match(got["services[0].expose.routes[0].cacheTtlSeconds"], /between 0 and 3600/);
        assert.match(got["platform.frontDoor.domain.name"], /is not a DNS name/);
        assert.match(got["platform.frontDoor.domain.certificateArn"], /is not an ACM certificate ARN/);
        assert.match(got["platform.frontDoor.waf.rateLimit"], /at least 10/);
        assert.match(got["platform.frontDoor.vpcCidr"], /is not an IPv4 CIDR block/);
        assert.match(got["platform.frontDoor.waf.managedRuleGroups[0]"], /not an AWS managed rule group name/);
    });

    it("refuses a front door that exposes nothing, and a service named like the front door", () => {
        assert.match(problemsOf([fargate("web")])["platform.frontDoor"], /no service has an expose block/);
        const got = problemsOf([fargate("front-door"), fargate("web", { expose: { auth: "iam", routes: [{ path: "/a", methods: ["GET"] }] } })]);
        assert.match(got["services[0].name"], /the front door's own name/);
    });

    it("defaults the WAF to AWS managed rule groups and a rate-based rule", () => {
        const fd = frontDoorSchema.parse({});
        assert.deepStrictEqual(fd.waf.managedRuleGroups, ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"]);
        assert.strictEqual(fd.waf.rateLimit, 2000);
    });
});

describe("catalog: bad expose blocks register nothing", function () {
    this.timeout(60_000);

    it("lists every bad block at once with its path, and the program registers no resource", async () => {
        const config = catalogConfig([
            fargate("web", { expose: { auth: "none", routes: [{ path: "/shop", methods: ["GET"] }] } }),
            fargate("orders", { expose: { auth: "iam", integration: "lambda", routes: [{ path: "/shop", methods: ["GET"], requestSchema: "schemas/nope.json" }] } }),
        ], { frontDoor: { usagePlans: [{ name: "p", services: ["nobody"] }] } });
        const result = await plan(config, "up");
        assert.deepStrictEqual(result.resources, [], "a refused catalog registers nothing, not even the stack");
        const paths = (result.errors ?? []).map(e => e.path);
        for (const p of [
            "platform.frontDoor.usagePlans[0].services[0]",
            "services[0].expose.reason",
            "services[1].expose.integration",
            "services[1].expose.routes[0].methods",
            "services[1].expose.routes[0].requestSchema",
        ]) {
            assert.ok(paths.includes(p), `${p} not reported (got ${paths.join(", ")})`);
        }
        assert.ok(config[`${PROJECT}:services`]);
    });
});

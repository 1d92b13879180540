import { PolicyResource } from "@pulumi/policy";
import { APIGW, Undecided } from "../../lib/apigateway";
import { AUTHORIZER_ENV, CatalogRoute, catalogRoutes, FRONT_DOOR_CONSUMER, jwksDigest, jwksDocument } from "../../lib/front-door";
import { AUTHORIZATION_OF, covers, TracedRoute, traceRoutes } from "../../lib/front-door-routes";
import { graphOwner } from "../../lib/catalog";
import { label, stackIndex, StackIndex } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { configValue } from "../../lib/stack-config";
import { asArray, get, isRecord, peek, show, str, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Only the catalog's routes reach a service, each with the authorizer the catalog names: every API Gateway method serves a route of the catalog (its path and HTTP method), its integration reaches that route's service end to end (VPC link in the edge VPC, load balancer, listener rule, endpoint, endpoint service, the service's VPC), and its authorization is the catalog's (a Cognito authorizer of the configured user pool, the edge VPC's token authorizer verifying the configured issuer, audiences and keys, AWS_IAM, or none for an open route).";

/** The configured Cognito user pool of `auth: cognito` routes; undefined when it is not set (or still needs input). */
function configuredPool(): string | undefined {
    return str(get(get(get(configValue("platform"), "frontDoor"), "cognito"), "userPoolArn"));
}

/** What `auth: lambda` routes' tokens are verified against, as configured (platform.frontDoor.jwt); a field not given, or still { needsInput }, is none. */
interface ConfiguredJwt {
    issuer: string;
    audiences: string[];
    /** The SHA-256 of the configured JWKS document as the authorizer ships it; undefined when the text is not JSON. */
    jwksSha256: string | undefined;
}

function configuredJwt(): ConfiguredJwt {
    const jwt = get(get(configValue("platform"), "frontDoor"), "jwt");
    const audiences = get(jwt, "audiences");
    const document = jwksDocument(get(jwt, "jwks"));
    return {
        issuer: str(get(jwt, "issuer")) ?? "",
        audiences: Array.isArray(audiences) ? audiences.filter((a): a is string => typeof a === "string") : [],
        jwksSha256: document === undefined ? undefined : jwksDigest(document),
    };
}

/**
 * Whether the token authorizer's function verifies what the configuration
 * says: its environment's issuer, audiences and keys digest
 * (lib/front-door.ts AUTHORIZER_ENV) against platform.frontDoor.jwt. The
 * function refuses to start when its packaged keys are not those of the
 * digest (components/frontDoorAuthorizer/index.js).
 */
function tokenConfigProblems(a: PolicyResource, fn: PolicyResource, want: ConfiguredJwt, undecided: Undecided): string[] {
    const vars = peek(fn.props, "environment", "variables");
    if (vars === UNKNOWN) {
        undecided.note(fn, "environment", "variables");
        return [];
    }
    const unknownKey = Object.values(AUTHORIZER_ENV).find((k) => peek(vars, k) === UNKNOWN);
    if (unknownKey !== undefined) {
        undecided.note(fn, "environment", "variables", unknownKey);
        return [];
    }
    const issuer = peek(vars, AUTHORIZER_ENV.issuer);
    const audiencesText = peek(vars, AUTHORIZER_ENV.audiences);
    const digest = peek(vars, AUTHORIZER_ENV.jwksSha256);
    const of = `its authorizer ${a.name} invokes ${fn.name}, which`;
    const problems: string[] = [];
    if ((issuer ?? "") !== want.issuer) {
        problems.push(`${of} accepts tokens of the issuer ${show(issuer)} (${AUTHORIZER_ENV.issuer}), not the configured ${show(want.issuer)} (platform.frontDoor.jwt.issuer)`);
    }
    let audiences: unknown;
    try {
        audiences = typeof audiencesText === "string" ? JSON.parse(audiencesText) : undefined;
    } catch {
        audiences = undefined;
    }
    if (!Array.isArray(audiences) || !audiences.every((x) => typeof x === "string")) {
        problems.push(`${of} has ${AUTHORIZER_ENV.audiences} = ${show(audiencesText)}, not a JSON array of the configured audiences ${show(want.audiences)}`);
    } else if ([...new Set(audiences)].sort().join("\n") !== [...new Set(want.audiences)].sort().join("\n")) {
        problems.push(`${of} accepts the audiences ${show(audiences)} (${AUTHORIZER_ENV.audiences}), not the configured ${show(want.audiences)} (platform.frontDoor.jwt.audiences)`);
    }
    if (want.jwksSha256 === undefined) {
        problems.push(`platform.frontDoor.jwt.jwks is not JSON, so ${fn.name}'s keys cannot be compared with it`);
    } else if (digest !== want.jwksSha256) {
        problems.push(`${of} verifies with keys whose SHA-256 is ${show(digest)} (${AUTHORIZER_ENV.jwksSha256}), not the configured JWKS document's ${want.jwksSha256} (platform.frontDoor.jwt.jwks)`);
    }
    return problems;
}

function routeText(t: TracedRoute): string {
    return `${String(t.verb === UNKNOWN ? "?" : t.verb)} ${t.path}`;
}

/** Problems with who may call a route, against the catalog's auth; pushes unknowns to `undecided`. */
function authProblems(idx: StackIndex, t: TracedRoute, route: CatalogRoute, undecided: Undecided, jwt: () => ConfiguredJwt): string[] {
    const want = AUTHORIZATION_OF[route.auth];
    const m = t.method;
    if (t.authorization === UNKNOWN) {
        undecided.note(m, "authorization");
        return [];
    }
    const have = t.authorization ?? "NONE";
    if (!want) return [`the catalog's auth ${show(route.auth)} is none of cognito, lambda, iam, none`];
    if (have !== want) {
        return [`authorization = ${show(have)}, but the catalog's route ${route.service} ${route.path} is auth: ${route.auth} (${want})`];
    }
    if (route.auth === "none" && route.reason === "") return ["the catalog's route is open (auth: none) without a reason"];
    if (route.auth !== "cognito" && route.auth !== "lambda") return [];
    const a = t.authorizer;
    if (!a) return [`its authorizerId names no authorizer of this stack`];
    const type = peek(a.props, "type");
    if (type === UNKNOWN) {
        undecided.note(a, "type");
        return [];
    }
    if (route.auth === "cognito") {
        const pool = configuredPool();
        const arns = peek(a.props, "providerArns");
        if (arns === UNKNOWN) {
            undecided.note(a, "providerArns");
            return [];
        }
        const given = asArray(arns).map((x) => (x === UNKNOWN ? "<unknown>" : String(x)));
        if (type !== "COGNITO_USER_POOLS") return [`its authorizer ${a.name} is of type ${show(type)}, not COGNITO_USER_POOLS`];
        if (pool === undefined) return [`its authorizer ${a.name} trusts ${show(given)}, and the catalog configures no user pool (platform.frontDoor.cognito.userPoolArn)`];
        if (given.includes("<unknown>")) {
            undecided.note(a, "providerArns");
            return [];
        }
        if (given.length !== 1 || given[0] !== pool) return [`its authorizer ${a.name} trusts the user pools ${show(given)}, not the configured ${pool} alone`];
        return [];
    }
    // lambda: the platform's token authorizer, a function in the front door's edge VPC.
    if (type !== "TOKEN" && type !== "REQUEST") return [`its authorizer ${a.name} is of type ${show(type)}, not a Lambda (TOKEN or REQUEST) authorizer`];
    const fns = idx.propDeps(a, "authorizerUri").filter((d) => d.type === APIGW.lambda);
    if (fns.length === 0) return [`its authorizer ${a.name} invokes no function of this stack (authorizerUri = ${show(peek(a.props, "authorizerUri"))})`];
    for (const fn of fns) {
        const owner = graphOwner(idx, fn);
        if (owner === UNKNOWN) {
            undecided.note(fn, "vpcConfig");
            continue;
        }
        if (owner !== FRONT_DOOR_CONSUMER) return [`its authorizer ${a.name} invokes ${fn.name}, which runs ${owner ? `in ${owner}'s VPC` : "in no VPC"}, not the front door's token authorizer in the edge VPC`];
    }
    return fns.flatMap((fn) => tokenConfigProblems(a, fn, jwt(), undecided));
}

/** Problems with where a route goes, against the catalog's service; pushes unknowns to `undecided`. */
function destinationProblems(t: TracedRoute, route: CatalogRoute, undecided: Undecided): string[] {
    const problems: string[] = [];
    const integration = t.integration;
    if (t.link) {
        const bad = t.linkOwners.filter((o) => o !== UNKNOWN && o !== FRONT_DOOR_CONSUMER);
        if (t.linkOwners.includes(UNKNOWN)) undecided.note(t.link, "subnetIds");
        if (bad.length > 0 || t.linkOwners.length === 0) problems.push(`its VPC link ${t.link.name} sits ${bad.length > 0 ? `in ${bad.map((o) => o ?? "no service").join(", ")}'s VPC` : "in no VPC of this stack"}, not the front door's edge VPC`);
    }
    t.loadBalancers.forEach((lb, i) => {
        const o = t.lbOwners[i];
        if (o === UNKNOWN) undecided.note(lb, "subnets");
        else if (o !== FRONT_DOOR_CONSUMER) problems.push(`its integration target ${lb.name} sits ${o ? `in ${o}'s VPC` : "in no VPC of this stack"}, not the front door's edge VPC`);
    });
    if (!integration) return [...problems, "it has no integration"];
    if (t.integrationType === "MOCK") return [...problems, `its integration is MOCK: API Gateway answers it and it never reaches ${route.service}`];
    if (t.unknown) {
        undecided.note(integration, t.requestPath === UNKNOWN ? "uri" : "type");
        return problems;
    }
    if (t.stoppedAt) return [...problems, `it is not traced end to end to ${route.service}: ${t.stoppedAt}`];
    const others = [...t.services].filter((s) => s !== route.service);
    if (others.length > 0 || !t.services.has(route.service)) {
        problems.push(`its integration reaches ${[...t.services].sort().join(", ") || "no service"}${t.requestPath && t.requestPath !== UNKNOWN ? ` (the load balancer sees ${t.requestPath})` : ""}, but the catalog's route ${route.path} belongs to ${route.service}`);
    }
    return problems;
}

export const apigatewayRoutesMatchCatalog = stackRule({
    name: "apigateway-routes-match-catalog",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Declare the route in the catalog (services[].expose.routes: path, methods, auth) and let the front door create it; or remove the method. Keep the integration on the front door's VPC link (subnets of the edge VPC) with integrationTarget the edge ALB and uri the route's own path, and the authorizer the catalog names (the Cognito authorizer of platform.frontDoor.cognito.userPoolArn, the edge token authorizer with JWT_ISSUER, JWT_AUDIENCES and JWKS_SHA256 from platform.frontDoor.jwt, AWS_IAM).",
    meta: {
        area: "frontdoor",
        rationale:
            "The catalog is the contract of what the internet may call. A method API Gateway serves is reachable by anyone who can pass its authorization (API Gateway developer guide, \"Control and manage access to REST APIs in API Gateway\"); where it goes is its integration: a VPC link v2 places API Gateway's network interfaces in the link's subnets, and integrationTarget names the load balancer it reaches (\"Set up VPC links V2 in API Gateway\", \"Private integrations for REST APIs\"; @pulumi/aws 7.48 apigateway.Integration `integrationTarget`, apigatewayv2.VpcLink `subnetIds`); " +
            "the load balancer routes the integration URI's path by its listener rules, lowest priority first, else the default action (Elastic Load Balancing, \"Listener rules for your Application Load Balancer\"); a COGNITO_USER_POOLS authorizer accepts tokens of every pool in providerArns (API Gateway API reference, Authorizer `providerARNs`); a TOKEN authorizer lets through whatever its function allows (\"Use API Gateway Lambda authorizers\"), and the platform's function accepts the issuer and audiences of its environment and the keys whose SHA-256 its environment carries, refusing to start with other keys (components/frontDoorAuthorizer/index.js). " +
            "So a route is judged by the service its integration reaches and by the authorizer it names, never by the method's or path's name.",
        equivalents: {},
        afterUp:
            "a VPC-link integration's URI is built from the edge ALB's DNS name, known only after up, and the load balancer routes by that URI's path: in preview the destination is undecided (the path, the HTTP method, the authorization and the authorizer's pool are decided).",
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        if (idx.ofType(APIGW.method).length === 0) return;
        const routes = catalogRoutes(configValue("services"));
        const undecided = new Undecided();
        const served = new Set<string>();
        let jwt: ConfiguredJwt | undefined;
        const jwtOnce = () => (jwt ??= configuredJwt());
        for (const t of traceRoutes(idx)) {
            const m: PolicyResource = t.method;
            if (t.verb === UNKNOWN) {
                undecided.note(m, "httpMethod");
                continue;
            }
            const route = routes.find((r) => covers(r, t.path, t.verb as string));
            if (!route) {
                // A CORS preflight answered by API Gateway itself reaches no service (developer guide, "Enabling CORS for a REST API resource").
                if (t.verb === "OPTIONS" && t.integrationType === "MOCK") continue;
                report(
                    `${label(m)} serves ${routeText(t)}${t.services.size > 0 ? ` (reaching ${[...t.services].sort().join(", ")})` : ""}, which is no route of the catalog. ` +
                        `Fix: declare it under services[].expose.routes (path ${show(t.path.replace(/\/\{proxy\+\}$/, "") || "/")}, methods [${t.verb}], auth) so the front door creates it, or remove the method.`,
                    m.urn,
                );
                continue;
            }
            served.add(`${route.service} ${route.path} ${t.verb}`);
            const problems = [...destinationProblems(t, route, undecided), ...authProblems(idx, t, route, undecided, jwtOnce)];
            if (problems.length > 0) {
                report(
                    `${label(m)} serves ${routeText(t)}, the catalog's route of ${route.service} (auth: ${route.auth}), but ${problems.join("; ")}. ` +
                        `Fix: let the front door build the route from the catalog: integration over the front door's VPC link to the edge ALB with uri the route's path, and authorization ${AUTHORIZATION_OF[route.auth] ?? "as the catalog says"}${route.auth === "cognito" ? " with the Cognito authorizer of platform.frontDoor.cognito.userPoolArn" : route.auth === "lambda" ? ` with the edge VPC's token authorizer, whose ${Object.values(AUTHORIZER_ENV).join(", ")} are platform.frontDoor.jwt's issuer, audiences and JWKS digest (lib/front-door.ts jwksDigest)` : ""}.`,
                    m.urn,
                );
            }
        }
        // Catalog routes of services this stack hosts that no method serves (a route the program plans as pending, e.g. while the user pool needs input, shows here).
        const hosted = new Set(idx.ofType("aws:ec2/vpc:Vpc").map((v) => idx.ownerOfVpc(v.urn)).filter((o): o is string => typeof o === "string"));
        const missing = routes.flatMap((r) => (hosted.has(r.service) ? r.methods.filter((v) => !served.has(`${r.service} ${r.path} ${v}`)).map((v) => `${v} ${r.path} (${r.service})`) : []));
        if (missing.length > 0) {
            reportAdvisory(report, DESCRIPTION, `Catalog routes this stack's API does not serve yet: ${missing.join(", ")}.${isRecord(get(get(configValue("platform"), "frontDoor"), "cognito")) && configuredPool() === undefined ? " (platform.frontDoor.cognito.userPoolArn is not set: cognito routes are pending.)" : ""}`);
        }
        undecided.settle();
    },
});

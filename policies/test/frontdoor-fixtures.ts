import { createHash } from "crypto";
import { ResourceRecord } from "../evaluate";
import { PLATFORM_COMPONENT } from "../lib/allowed-types";
import { FRONT_DOOR_COMPONENT, frontDoorMethodName } from "../lib/front-door";
import { fargateService, PROJECT, rec, RecordOpts, STACK } from "./fixtures";

/** Hand-built front-door records in the offline preview's shape: everything a compliant front door holds. */

const PLATFORM = PLATFORM_COMPONENT;
export const FD_CHAIN = `${PLATFORM}$${FRONT_DOOR_COMPONENT}`;

const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;

/** The platform's component at the stack's root, and its front door: the components the platform creates (by parent, not by type token). */
export const PLATFORM_RECORD = rec(PLATFORM, "platform", {}, { urn: `urn:pulumi:${STACK}::${PROJECT}::${PLATFORM}::platform`, parent: STACK_URN, custom: false });
export const FRONT_DOOR_RECORD = rec(FRONT_DOOR_COMPONENT, "front-door", {}, { urn: `urn:pulumi:${STACK}::${PROJECT}::${FD_CHAIN}::front-door`, parent: PLATFORM_RECORD.urn, custom: false });

/** A resource inside the front door component (its parent). */
export function fd(type: string, name: string, inputs: Record<string, unknown> = {}, o: RecordOpts = {}): ResourceRecord {
    return rec(type, name, inputs, { parent: FRONT_DOOR_RECORD.urn, ...o, urn: `urn:pulumi:${STACK}::${PROJECT}::${FD_CHAIN}$${type}::${name}` });
}

/** A resource directly under the stack (outside the front door). */
export function root(type: string, name: string, inputs: Record<string, unknown> = {}, o: RecordOpts = {}): ResourceRecord {
    return rec(type, name, inputs, { ...o, urn: `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}` });
}

export interface FrontDoorParts {
    api: ResourceRecord;
    stage: ResourceRecord;
    methods: ResourceRecord[];
    integrations: ResourceRecord[];
    all: ResourceRecord[];
}

export interface RouteSpec {
    service: string;
    path: string;
    method: string;
    auth: "AWS_IAM" | "COGNITO_USER_POOLS" | "CUSTOM" | "NONE";
}

/** The token issuer, audiences and keys (a JWKS document, compact JSON) the fixtures' catalog configures for `auth: lambda` routes. */
export const FIXTURE_JWT = {
    issuer: "https://login.partner.example/",
    audiences: ["orders-api"],
    jwks: '{"keys":[{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]}',
};

/** The Cognito user pool the fixtures' catalog configures and their Cognito authorizer trusts. */
export const FIXTURE_POOL = "arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc";

const CATALOG_AUTH: Record<RouteSpec["auth"], string> = { COGNITO_USER_POOLS: "cognito", CUSTOM: "lambda", AWS_IAM: "iam", NONE: "none" };
const OPEN_REASON = "public catalogue listing, cached";

/** The catalog (stack configuration) that declares exactly these routes, each with its auth, and the Cognito pool. */
export function frontDoorConfig(routes: RouteSpec[] = DEFAULT_ROUTES): Record<string, unknown> {
    const services = new Map<string, { path: string; methods: string[]; auth: string; reason?: string }[]>();
    for (const r of routes) {
        const list = services.get(r.service) ?? [];
        const auth = CATALOG_AUTH[r.auth];
        const same = list.find((x) => x.path === r.path && x.auth === auth);
        if (same) same.methods.push(r.method);
        else list.push({ path: r.path, methods: [r.method], auth, ...(auth === "none" ? { reason: OPEN_REASON } : {}) });
        services.set(r.service, list);
    }
    return {
        "privatelink-platform:services": [...services].map(([name, rs]) => ({ name, runtime: "fargate", expose: { auth: "iam", routes: rs } })),
        "privatelink-platform:platform": { frontDoor: { stageName: "v1", cognito: { userPoolArn: FIXTURE_POOL }, jwt: FIXTURE_JWT } },
    };
}

export const DEFAULT_ROUTES: RouteSpec[] = [
    { service: "orders", path: "/orders", method: "GET", auth: "COGNITO_USER_POOLS" },
    { service: "orders", path: "/orders/admin", method: "POST", auth: "CUSTOM" },
    { service: "payments", path: "/payments", method: "ANY", auth: "AWS_IAM" },
];

/** The open route the open-route cases add: `orders` GET /orders/public, auth none with a reason. */
export const OPEN_ROUTE: RouteSpec = { service: "orders", path: "/orders/public", method: "GET", auth: "NONE" };

/** The catalog of DEFAULT_ROUTES and the open route. */
export function openRouteConfig(): Record<string, unknown> {
    return frontDoorConfig([...DEFAULT_ROUTES, OPEN_ROUTE]);
}

/**
 * A compliant front door as the program builds it: regional REST API, each
 * route's resources up to the API root, authorized methods, integrations over
 * one VPC link v2 in the edge VPC to the edge ALB, whose listener rules send
 * each route's path to the target group of that service's interface endpoint
 * (accepted, its addresses registered), which reaches the service's endpoint
 * service and NLB in the service's own VPC (fixtures.ts fargateService); a
 * logged, traced, throttled stage with a WAF. Judge it with frontDoorConfig(routes).
 */
export function frontDoor(routes: RouteSpec[] = DEFAULT_ROUTES): FrontDoorParts {
    const api = fd("aws:apigateway/restApi:RestApi", "front-door-api", { name: "dev-front-door", endpointConfiguration: { types: "REGIONAL" }, securityPolicy: "TLS_1_2" });
    const edgeTags = { "privatelink:service": "front-door" };
    const vpc = fd("aws:ec2/vpc:Vpc", "front-door-vpc", { cidrBlock: "10.1.0.0/16", tags: edgeTags });
    const subnets = ["a", "b"].map((az, i) => fd("aws:ec2/subnet:Subnet", `front-door-private-${az}`, { vpcId: "<unknown>", cidrBlock: `10.1.${i}.0/24`, tags: edgeTags }, { deps: { vpcId: vpc } }));
    const alb = fd("aws:lb/loadBalancer:LoadBalancer", "front-door-alb", { loadBalancerType: "application", internal: true, subnets: ["<unknown>", "<unknown>"], tags: edgeTags }, { deps: { subnets } });
    const listener = fd(
        "aws:lb/listener:Listener",
        "front-door-http",
        { loadBalancerArn: "<unknown>", port: 80, protocol: "HTTP", defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }] },
        { deps: { loadBalancerArn: alb } },
    );
    const link = fd("aws:apigatewayv2/vpcLink:VpcLink", "front-door-link", { name: "dev-front-door", subnetIds: ["<unknown>", "<unknown>"], securityGroupIds: ["<unknown>"] }, { deps: { subnetIds: subnets } });
    // The token authorizer's environment names what it verifies: FIXTURE_JWT's issuer, audiences and the SHA-256 of its keys.
    const authorizerEnv = { JWT_ISSUER: FIXTURE_JWT.issuer, JWT_AUDIENCES: JSON.stringify(FIXTURE_JWT.audiences), JWKS_SHA256: createHash("sha256").update(FIXTURE_JWT.jwks).digest("hex") };
    const authorizerFn = fd("aws:lambda/function:Function", "front-door-authorizer", { vpcConfig: { subnetIds: ["<unknown>", "<unknown>"] }, environment: { variables: authorizerEnv } }, { deps: { vpcConfig: subnets } });
    const cognito = fd("aws:apigateway/authorizer:Authorizer", "front-door-cognito", { restApi: "<unknown>", type: "COGNITO_USER_POOLS", providerArns: [FIXTURE_POOL] }, { deps: { restApi: api } });
    const lambdaAuth = fd("aws:apigateway/authorizer:Authorizer", "front-door-lambda", { restApi: "<unknown>", type: "TOKEN", authorizerUri: "<unknown>" }, { deps: { restApi: api, authorizerUri: authorizerFn } });
    const edge: ResourceRecord[] = [vpc, ...subnets, alb, listener, link, authorizerFn];
    // Each routed service: its own VPC, NLB and endpoint service, and the edge's way to it.
    const targetGroups = new Map<string, ResourceRecord>();
    for (const service of [...new Set(routes.map((r) => r.service))]) {
        const svc = fargateService(service);
        const endpoint = fd(
            "aws:ec2/vpcEndpoint:VpcEndpoint",
            `front-door-to-${service}`,
            { vpcId: "<unknown>", serviceName: "<unknown>", vpcEndpointType: "Interface", subnetIds: ["<unknown>", "<unknown>"], tags: { ...edgeTags, "privatelink:edge": `front-door->${service}` } },
            { deps: { vpcId: vpc, serviceName: svc.endpointService, subnetIds: subnets } },
        );
        const accepter = fd("aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter", `front-door-to-${service}-accept`, { vpcEndpointId: "<unknown>", vpcEndpointServiceId: "<unknown>" }, { deps: { vpcEndpointId: endpoint, vpcEndpointServiceId: svc.endpointService } });
        const tg = fd("aws:lb/targetGroup:TargetGroup", `front-door-${service}`, { targetType: "ip", protocol: "HTTP", port: 8080, vpcId: "<unknown>" }, { deps: { vpcId: vpc } });
        const attachment = fd("aws:lb/targetGroupAttachment:TargetGroupAttachment", `front-door-${service}-a`, { targetGroupArn: "<unknown>", targetId: "<unknown>", port: 8080 }, { deps: { targetGroupArn: tg, targetId: accepter } });
        targetGroups.set(service, tg);
        edge.push(...svc.all, endpoint, accepter, tg, attachment);
    }
    // The API's resources, one per path prefix, each under its parent.
    const resourceOf = new Map<string, ResourceRecord>();
    const resources: ResourceRecord[] = [];
    const resourceFor = (path: string): ResourceRecord => {
        const known = resourceOf.get(path);
        if (known) return known;
        const parts = path.split("/").filter(Boolean);
        const parentPath = `/${parts.slice(0, -1).join("/")}`;
        const parent = parts.length > 1 ? resourceFor(parentPath) : api;
        const res = fd("aws:apigateway/resource:Resource", `front-door-path-${parts.join("-")}`, { restApi: "<unknown>", parentId: "<unknown>", pathPart: parts[parts.length - 1] }, { deps: { restApi: api, parentId: parent } });
        resourceOf.set(path, res);
        resources.push(res);
        return res;
    };
    const rules: ResourceRecord[] = [];
    const methods: ResourceRecord[] = [];
    const integrations: ResourceRecord[] = [];
    for (const r of routes) {
        const name = frontDoorMethodName(r.service, r.path, r.method);
        const res = resourceFor(r.path);
        if (!rules.some((x) => x.name === `front-door-${r.service}-${res.name}`)) {
            rules.push(
                fd(
                    "aws:lb/listenerRule:ListenerRule",
                    `front-door-${r.service}-${res.name}`,
                    { listenerArn: "<unknown>", priority: 100 - r.path.length, conditions: [{ pathPattern: { values: [r.path, `${r.path}/*`, `/v1${r.path}`, `/v1${r.path}/*`] } }], actions: [{ type: "forward", targetGroupArn: "<unknown>" }] },
                    { deps: { listenerArn: listener, actions: targetGroups.get(r.service)! } },
                ),
            );
        }
        const authorizer = r.auth === "COGNITO_USER_POOLS" ? cognito : r.auth === "CUSTOM" ? lambdaAuth : undefined;
        const m = fd(
            "aws:apigateway/method:Method",
            name,
            { restApi: "<unknown>", resourceId: "<unknown>", httpMethod: r.method, authorization: r.auth, ...(authorizer ? { authorizerId: "<unknown>" } : {}) },
            { deps: { restApi: api, resourceId: res, ...(authorizer ? { authorizerId: authorizer } : {}) } },
        );
        methods.push(m);
        integrations.push(
            fd(
                "aws:apigateway/integration:Integration",
                `${name}-integration`,
                { restApi: "<unknown>", resourceId: "<unknown>", httpMethod: r.method, type: "HTTP_PROXY", integrationHttpMethod: r.method, connectionType: "VPC_LINK", connectionId: "<unknown>", integrationTarget: "<unknown>", uri: `http://front-door-alb.internal${r.path}` },
                { deps: { restApi: api, resourceId: res, httpMethod: m, connectionId: link, integrationTarget: alb } },
            ),
        );
    }
    const deployment = fd("aws:apigateway/deployment:Deployment", "front-door-deployment", { restApi: "<unknown>" }, { deps: { restApi: api } });
    const key = rec("aws:kms/key:Key", "platform-key", { enableKeyRotation: true });
    const logGroup = fd("aws:cloudwatch/logGroup:LogGroup", "front-door-access", { retentionInDays: 30, kmsKeyId: "<unknown>" }, { deps: { kmsKeyId: key } });
    const stage = fd(
        "aws:apigateway/stage:Stage",
        "front-door-stage",
        { restApi: "<unknown>", deployment: "<unknown>", stageName: "v1", xrayTracingEnabled: true, accessLogSettings: { destinationArn: "<unknown>", format: '{"requestId":"$context.requestId"}' } },
        { deps: { restApi: api, deployment, accessLogSettings: logGroup } },
    );
    const settings = fd(
        "aws:apigateway/methodSettings:MethodSettings",
        "front-door-all-methods",
        { restApi: "<unknown>", stageName: "<unknown>", methodPath: "*/*", settings: { metricsEnabled: true, loggingLevel: "ERROR", throttlingRateLimit: 100, throttlingBurstLimit: 200 } },
        { deps: { restApi: api, stageName: stage } },
    );
    const acl = fd("aws:wafv2/webAcl:WebAcl", "front-door-waf", {
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: [{ name: "aws-common", priority: 0, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } }, visibilityConfig: { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: "common" } }],
        visibilityConfig: { sampledRequestsEnabled: true, cloudwatchMetricsEnabled: true, metricName: "front-door" },
    });
    const assoc = fd("aws:wafv2/webAclAssociation:WebAclAssociation", "front-door-waf-stage", { resourceArn: "<unknown>", webAclArn: "<unknown>" }, { deps: { resourceArn: stage, webAclArn: acl } });
    const domain = fd("aws:apigateway/domainName:DomainName", "front-door-domain", { domainName: "api.example.com", securityPolicy: "TLS_1_2", endpointConfiguration: { types: "REGIONAL" }, regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc" });
    const all = [PLATFORM_RECORD, FRONT_DOOR_RECORD, api, ...edge, cognito, lambdaAuth, ...rules, ...resources, ...methods, ...integrations, deployment, key, logGroup, stage, settings, acl, assoc, domain];
    return { api, stage, methods, integrations, all };
}

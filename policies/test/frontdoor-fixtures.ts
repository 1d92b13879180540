import { ResourceRecord } from "../evaluate";
import { FRONT_DOOR_COMPONENT, frontDoorMethodName } from "../lib/front-door";
import { PROJECT, rec, RecordOpts, STACK } from "./fixtures";

/** Hand-built front-door records in the offline preview's shape: everything a compliant front door holds. */

const PLATFORM = "privatelink:index:Platform";
export const FD_CHAIN = `${PLATFORM}$${FRONT_DOOR_COMPONENT}`;

/** A resource inside the front door component. */
export function fd(type: string, name: string, inputs: Record<string, unknown> = {}, o: RecordOpts = {}): ResourceRecord {
    return rec(type, name, inputs, { ...o, urn: `urn:pulumi:${STACK}::${PROJECT}::${FD_CHAIN}$${type}::${name}` });
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

/** The catalog (stack configuration) that declares `orders` GET /orders/public open, for the open-route cases. */
export function openRouteConfig(): Record<string, unknown> {
    return {
        "privatelink-platform:services": [
            { name: "orders", runtime: "fargate", expose: { auth: "cognito", routes: [{ path: "/orders", methods: ["GET", "POST"] }, { path: "/orders/public", methods: ["GET"], auth: "none", reason: "public catalogue listing, cached" }] } },
            { name: "payments", runtime: "fargate" },
        ],
    };
}

export const DEFAULT_ROUTES: RouteSpec[] = [
    { service: "orders", path: "/orders", method: "GET", auth: "COGNITO_USER_POOLS" },
    { service: "orders", path: "/orders", method: "POST", auth: "CUSTOM" },
    { service: "payments", path: "/payments", method: "ANY", auth: "AWS_IAM" },
];

/** A compliant front door: regional REST API, authorized methods over one VPC link, a logged, traced, throttled stage with a WAF. */
export function frontDoor(routes: RouteSpec[] = DEFAULT_ROUTES): FrontDoorParts {
    const api = fd("aws:apigateway/restApi:RestApi", "front-door-api", { name: "dev-front-door", endpointConfiguration: { types: "REGIONAL" }, securityPolicy: "TLS_1_2" });
    const link = fd("aws:apigatewayv2/vpcLink:VpcLink", "front-door-link", { name: "dev-front-door", subnetIds: ["<unknown>"], securityGroupIds: ["<unknown>"] });
    const cognito = fd("aws:apigateway/authorizer:Authorizer", "front-door-cognito", { restApi: "<unknown>", type: "COGNITO_USER_POOLS", providerArns: ["arn:aws:cognito-idp:us-east-1:111111111111:userpool/us-east-1_abc"] }, { deps: { restApi: api } });
    const lambdaAuth = fd("aws:apigateway/authorizer:Authorizer", "front-door-lambda", { restApi: "<unknown>", type: "TOKEN", authorizerUri: "<unknown>" }, { deps: { restApi: api } });
    const methods: ResourceRecord[] = [];
    const integrations: ResourceRecord[] = [];
    const resources: ResourceRecord[] = [];
    for (const r of routes) {
        const name = frontDoorMethodName(r.service, r.path, r.method);
        const res = fd("aws:apigateway/resource:Resource", `front-door-path-${name}`, { restApi: "<unknown>", parentId: "<unknown>", pathPart: r.path.split("/").pop() }, { deps: { restApi: api } });
        resources.push(res);
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
                { restApi: "<unknown>", resourceId: "<unknown>", httpMethod: r.method, type: "HTTP_PROXY", integrationHttpMethod: r.method, connectionType: "VPC_LINK", connectionId: "<unknown>", integrationTarget: "<unknown>", uri: "http://front-door-alb.internal/orders" },
                { deps: { restApi: api, resourceId: res, httpMethod: m, connectionId: link } },
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
    const all = [api, link, cognito, lambdaAuth, ...resources, ...methods, ...integrations, deployment, key, logGroup, stage, settings, acl, assoc, domain];
    return { api, stage, methods, integrations, all };
}

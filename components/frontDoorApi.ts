import * as aws from "@pulumi/aws";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ExposedMethod, FrontDoorSpec, PlatformSpec, readRequestSchema } from "./catalog";
import {
    AUTHORIZATION_TYPE,
    cacheKeyParameters,
    DefinitionEntry,
    definitionDigest,
    definitionNames,
    digest,
    hasBody,
    integrationRequestParameters,
    methodRequestParameters,
    methodSettingsPath,
    modelName,
    parentPath,
    resourceName,
    resourcePaths,
    routeLines,
    TOKEN_HEADER,
} from "./frontDoorRoutes";
import { APIGW } from "../policies/lib/apigateway";
import { AUTHORIZER_ENV, jwksDigest, jwksDocument } from "../policies/lib/front-door";
import type { IsolatedVpc } from "./isolatedVpc";
import { functionRoleStatements } from "./runtimes/lambda/function";
import { AccountContext, policyDocument, serviceTrustPolicy } from "./shared";

export interface FrontDoorApiArgs {
    stack: string;
    frontDoor: FrontDoorSpec;
    platform: PlatformSpec;
    methods: ExposedMethod[];
    /** Functions of services with a direct lambda integration, by service. */
    functions: Record<string, aws.lambda.Function>;
    vpc: IsolatedVpc;
    alb: aws.lb.LoadBalancer;
    kmsKeyArn: pulumi.Input<string>;
    account: AccountContext;
    tags: Record<string, string>;
    /** Where request schema files are resolved (default: the working directory). */
    projectDir?: string;
}

/** Access log fields (API Gateway Developer Guide, "$context variables for data models, authorizers, mapping templates, and access logging"). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    caller: "$context.identity.caller",
    user: "$context.identity.user",
    principalId: "$context.authorizer.principalId",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    integrationStatus: "$context.integration.status",
    integrationLatency: "$context.integration.latency",
    wafStatus: "$context.waf.status",
    apiKeyId: "$context.identity.apiKeyId",
});

/**
 * The REST API side of the front door, a helper of FrontDoor (its resources
 * are parented to the FrontDoor component, so the component owns them all).
 * A regional REST API (the flavour with caching, request validators, usage
 * plans and WAF); one VPC link v2 to the edge ALB; per route a resource and a
 * `{proxy+}` child, each method carrying its authorizer and a private
 * integration (HTTP_PROXY, connectionType VPC_LINK, integrationTarget = the
 * ALB: API Gateway Developer Guide, "Set up a private integration",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html,
 * and @pulumi/aws 7.48 apigateway.Integration `integrationTarget`); a stage
 * with access logs, metrics, X-Ray, cache and per-method settings; a WAF
 * web ACL; usage plans and API keys; an optional custom domain (TLS 1.2).
 */
export class FrontDoorApi {
    public readonly restApi: aws.apigateway.RestApi;
    public readonly vpcLink: aws.apigatewayv2.VpcLink;
    public readonly stage: aws.apigateway.Stage;
    public readonly webAcl: aws.wafv2.WebAcl;
    public readonly invokeUrl: pulumi.Output<string>;
    public readonly routes: string[];
    public readonly domainTarget?: pulumi.Output<string>;

    /** `owner`: the FrontDoor component, the parent of every resource created here. */
    constructor(name: string, args: FrontDoorApiArgs, owner: pulumi.Resource) {
        const parent = { parent: owner };
        const fd = args.frontDoor;
        const { accountId } = args.account;
        const tags = args.tags;
        const methods = args.methods;

        this.restApi = new aws.apigateway.RestApi(`${name}-api`, {
            name: `${args.stack}-front-door`,
            description: `${args.stack}: the API front door of the PrivateLink platform`,
            endpointConfiguration: { types: "REGIONAL" },
            // The default execute-api endpoint otherwise accepts TLS 1.0 (API Gateway developer guide, "Security policies for REST APIs in API Gateway").
            securityPolicy: "TLS_1_2",
            apiKeySource: "HEADER",
            // With a custom domain, clients must not bypass it (its TLS policy, its
            // name) through the default execute-api endpoint (API Gateway developer
            // guide, "Disable the default endpoint for REST APIs").
            disableExecuteApiEndpoint: !!(fd.domain?.name && fd.domain.certificateArn),
            tags,
        }, parent);
        const api = this.restApi;

        // One VPC link v2 for the whole front door (VPC links are a small
        // per-Region quota). Its ENIs sit in the edge subnets; its group only
        // reaches the ALB's listener inside the VPC (API Gateway Developer
        // Guide, "Set up VPC links V2 in API Gateway").
        const linkGroup = new aws.ec2.SecurityGroup(`${name}-vpc-link`, {
            vpcId: args.vpc.vpc.id,
            description: "API Gateway VPC link: to the edge ALB only",
            ingress: [],
            egress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: [args.frontDoor.vpcCidr ?? args.platform.vpcCidr], description: "Edge ALB listener" }],
            tags: { ...tags, Name: "front-door-vpc-link" },
        }, parent);
        this.vpcLink = new aws.apigatewayv2.VpcLink(`${name}-vpc-link`, {
            name: `${args.stack}-front-door`,
            subnetIds: args.vpc.subnetIds,
            securityGroupIds: [linkGroup.id],
            tags,
        }, parent);

        // --- what this update defines ------------------------------------
        // A method of a lambda integration whose function does not exist yet
        // (image pending) is not created, nor a Cognito route while the pool
        // is still { needsInput }: the provider refuses a Cognito authorizer
        // without providerArns (terraform-provider-aws
        // internal/service/apigateway/authorizer.go: "provider_arns must be set
        // non-empty when authorizer type is COGNITO_USER_POOLS"). A `pulumi
        // preview` warns of the unset pool with every needs-input value, the
        // offline plan lists it, and `pulumi up` refuses to start until it is
        // set (components/preflight.ts).
        const planned = methods.filter(m => {
            if (m.integration === "lambda" && !args.functions[m.service]) {
                pulumi.log.warn(`front door: ${m.method} ${m.path} is not created: ${m.service}'s function does not exist yet (image pending)`, owner);
                return false;
            }
            return !(m.auth === "cognito" && !fd.cognito?.userPoolArn);
        });
        const routePaths = [...new Set(planned.map(m => m.path))];
        const schemaFiles = [...new Set(planned.filter(m => m.requestSchema && hasBody(m.method)).map(m => m.requestSchema!))].sort();

        // The API's definition as one generation: every resource, method and
        // integration is replaced with it (the `replaceWith` option), and it
        // is replaced delete-before-create whenever the set of them changes.
        // The engine then deletes the old generation, removed routes
        // included, when it reaches this resource, before any method of the
        // new one and before the new deployment snapshots the API; without
        // it a removed route is deleted only after the program finished,
        // after the new deployment took its snapshot (engine-steps.ts;
        // pulumi/pulumi v3.248.0 pkg/resource/deploy/step_generator.go
        // `findResourcesReplacedWith`, deployment_executor.go; pulumi/pulumi-aws#3289).
        const names = definitionNames(name, routePaths, planned);
        const definition = new aws.apigateway.DocumentationPart(`${name}-definition`, {
            restApiId: api.id,
            location: { type: "API" },
            properties: JSON.stringify({ description: `${args.stack} front door: ${routeLines(planned).join("; ")}` }),
        }, { ...parent, deleteBeforeReplace: true, replacementTrigger: digest(names) });
        const generation = { ...parent, replaceWith: [definition] };
        /** Every resource a deployment snapshots, with its arguments: the redeployment trigger hashes them resolved. */
        const snapshot: DefinitionEntry[] = [];
        const define = <A extends object>(type: string, logical: string, a: A): A => {
            snapshot.push({ type, name: logical, inputs: a as Record<string, unknown> });
            return a;
        };

        // --- authorizers ---------------------------------------------------
        const auths = new Set(planned.map(m => m.auth));
        const authorizers: Partial<Record<string, aws.apigateway.Authorizer>> = {};
        if (auths.has("cognito") && fd.cognito?.userPoolArn) {
            authorizers.cognito = new aws.apigateway.Authorizer(`${name}-cognito`, define(APIGW.authorizer, `${name}-cognito`, {
                restApi: api.id,
                name: "cognito",
                type: "COGNITO_USER_POOLS",
                providerArns: [fd.cognito.userPoolArn],
                identitySource: TOKEN_HEADER,
            }), parent);
        }
        if (auths.has("lambda")) {
            authorizers.lambda = this.tokenAuthorizer(name, args, parent, define);
        }

        // --- resources: every prefix, and a {proxy+} child per route -------
        const resourceIds = new Map<string, pulumi.Input<string>>([["/", api.rootResourceId]]);
        const resources: pulumi.Resource[] = [];
        for (const p of resourcePaths(routePaths)) {
            const logical = resourceName(name, p);
            const r = new aws.apigateway.Resource(logical, define(APIGW.resource, logical, {
                restApi: api.id,
                parentId: resourceIds.get(parentPath(p))!,
                pathPart: p.split("/").pop()!,
            }), generation);
            resourceIds.set(p, r.id);
            resources.push(r);
        }
        const proxyIds = new Map<string, pulumi.Input<string>>();
        for (const p of routePaths) {
            const logical = resourceName(name, p, true);
            const r = new aws.apigateway.Resource(logical, define(APIGW.resource, logical, {
                restApi: api.id,
                parentId: resourceIds.get(p)!,
                pathPart: "{proxy+}",
            }), generation);
            proxyIds.set(p, r.id);
            resources.push(r);
        }

        // --- request validation --------------------------------------------
        const models = new Map<string, aws.apigateway.Model>();
        let validator: aws.apigateway.RequestValidator | undefined;
        if (schemaFiles.length > 0) {
            validator = new aws.apigateway.RequestValidator(`${name}-validator`, define(APIGW.requestValidator, `${name}-validator`, {
                restApi: api.id,
                name: "body-and-parameters",
                validateRequestBody: true,
                validateRequestParameters: true,
            }), parent);
            for (const file of schemaFiles) {
                const read = readRequestSchema(file, args.projectDir ?? process.cwd());
                if (!read.ok) throw new Error(read.reason); // the catalog validation refused it already
                const logical = `${name}-model-${modelName(file).toLowerCase()}`;
                models.set(file, new aws.apigateway.Model(logical, define(APIGW.model, logical, {
                    restApi: api.id,
                    name: modelName(file),
                    description: `Request body of routes with requestSchema ${file}`,
                    contentType: "application/json",
                    schema: JSON.stringify(read.schema),
                }), parent));
            }
        }

        // --- methods and integrations ----------------------------------------
        const integrations: pulumi.Resource[] = [];
        const settingsOf: { name: string; path: string; m: ExposedMethod }[] = [];
        for (const m of planned) {
            const fn = args.functions[m.service];
            for (const proxy of [false, true]) {
                const methodName = `${m.name}${proxy ? "-proxy" : ""}`;
                const resourceId = proxy ? proxyIds.get(m.path)! : resourceIds.get(m.path)!;
                const requestParameters = methodRequestParameters(m, proxy);
                const model = m.requestSchema && hasBody(m.method) ? models.get(m.requestSchema) : undefined;
                const method = new aws.apigateway.Method(methodName, define(APIGW.method, methodName, {
                    restApi: api.id,
                    resourceId,
                    httpMethod: m.method,
                    authorization: AUTHORIZATION_TYPE[m.auth],
                    authorizerId: authorizers[m.auth]?.id,
                    apiKeyRequired: m.apiKeyRequired,
                    requestParameters,
                    ...(model && validator ? { requestValidatorId: validator.id, requestModels: { "application/json": model.name } } : {}),
                }), generation);
                const integrationName = `${methodName}-integration`;
                const integration = m.integration === "lambda"
                    ? new aws.apigateway.Integration(integrationName, define(APIGW.integration, integrationName, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        type: "AWS_PROXY",
                        integrationHttpMethod: "POST",
                        uri: fn!.invokeArn,
                        cacheKeyParameters: cacheKeyParameters(m, proxy),
                        timeoutMilliseconds: 29000,
                    }), generation)
                    : new aws.apigateway.Integration(integrationName, define(APIGW.integration, integrationName, {
                        restApi: api.id,
                        resourceId,
                        httpMethod: method.httpMethod,
                        type: "HTTP_PROXY",
                        integrationHttpMethod: m.method,
                        connectionType: "VPC_LINK",
                        connectionId: this.vpcLink.id,
                        integrationTarget: args.alb.arn,
                        // The host is the ALB's name; the path is what the edge ALB routes on.
                        uri: pulumi.interpolate`http://${args.alb.dnsName}${m.path === "/" ? "" : m.path}${proxy ? "/{proxy}" : ""}`,
                        requestParameters: integrationRequestParameters(m, proxy),
                        cacheKeyParameters: cacheKeyParameters(m, proxy),
                        timeoutMilliseconds: 29000,
                    }), generation);
                integrations.push(method, integration);
                settingsOf.push({ name: methodName, path: methodSettingsPath(m.path, m.method, proxy), m });
            }
        }
        for (const [service, fn] of Object.entries(args.functions)) {
            if (!planned.some(m => m.service === service && m.integration === "lambda")) continue;
            // Only this API's methods may invoke the function (Lambda
            // Developer Guide, "Granting API Gateway access to a function":
            // source ARN = the API's execution ARN).
            new aws.lambda.Permission(`${name}-${service}-invoke`, {
                action: "lambda:InvokeFunction",
                function: fn.name,
                principal: "apigateway.amazonaws.com",
                sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
                sourceAccount: accountId,
            }, parent);
        }

        // --- account-level CloudWatch role (only where this stack owns it) ---
        let account: aws.apigateway.Account | undefined;
        if (fd.manageAccountRole) {
            account = this.accountRole(name, args, parent);
        }

        // --- deployment and stage -------------------------------------------
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-access-logs`, {
            name: `/aws/apigateway/${args.stack}-front-door/access`,
            retentionInDays: args.platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags,
        }, parent);
        // The execution-log group API Gateway writes to once the stage logs
        // (loggingLevel ERROR below) is created here first, with the
        // platform's key and retention; otherwise API Gateway creates it,
        // unencrypted and never expiring. Its name is AWS's:
        // API-Gateway-Execution-Logs_<rest api id>/<stage> (API Gateway
        // developer guide, "Set up CloudWatch logging for REST APIs in API Gateway").
        const executionLogs = new aws.cloudwatch.LogGroup(`${name}-execution-logs`, {
            name: pulumi.interpolate`API-Gateway-Execution-Logs_${api.id}/${fd.stageName}`,
            retentionInDays: args.platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags,
        }, parent);
        const deployment = new aws.apigateway.Deployment(`${name}-deployment`, {
            restApi: api.id,
            description: `${args.stack} front door`,
            // A new deployment whenever anything it snapshots changes: API
            // Gateway serves the API as it was when the deployment was created
            // (API Gateway developer guide, "Updates to REST APIs that require
            // redeployment": authorizers, integrations, methods, models,
            // request validators, resources). The trigger hashes every such
            // resource's inputs once resolved: a schema file's contents, an
            // integration's ALB and VPC link after a replacement, an
            // authorizer's settings, a method created once its function exists.
            triggers: { redeployment: pulumi.output(snapshot).apply(s => definitionDigest(s as DefinitionEntry[])) },
        }, { ...parent, dependsOn: [definition, ...resources, ...integrations] });
        const caching = planned.some(m => m.cacheTtlSeconds > 0);
        this.stage = new aws.apigateway.Stage(`${name}-stage`, {
            restApi: api.id,
            deployment: deployment.id,
            stageName: fd.stageName,
            description: `${args.stack} front door`,
            accessLogSettings: { destinationArn: logGroup.arn, format: ACCESS_LOG_FORMAT },
            xrayTracingEnabled: true,
            cacheClusterEnabled: caching,
            ...(caching ? { cacheClusterSize: fd.cacheClusterSize } : {}),
            tags,
        }, { ...parent, dependsOn: [executionLogs, ...(account ? [account] : [])] });

        // Stage-wide defaults, then one setting per method: throttling and cache TTL.
        new aws.apigateway.MethodSettings(`${name}-all-methods`, {
            restApi: api.id,
            stageName: this.stage.stageName,
            methodPath: "*/*",
            settings: {
                metricsEnabled: true,
                loggingLevel: "ERROR",
                dataTraceEnabled: false,
                throttlingRateLimit: fd.throttling.rateLimit,
                throttlingBurstLimit: fd.throttling.burstLimit,
            },
        }, parent);
        for (const s of settingsOf) {
            new aws.apigateway.MethodSettings(`${s.name}-settings`, {
                restApi: api.id,
                stageName: this.stage.stageName,
                methodPath: s.path,
                settings: {
                    metricsEnabled: true,
                    loggingLevel: "ERROR",
                    dataTraceEnabled: false,
                    throttlingRateLimit: s.m.throttling.rateLimit,
                    throttlingBurstLimit: s.m.throttling.burstLimit,
                    cachingEnabled: s.m.cacheTtlSeconds > 0,
                    cacheTtlInSeconds: s.m.cacheTtlSeconds,
                    cacheDataEncrypted: s.m.cacheTtlSeconds > 0,
                    // Clients may not bypass the cache without the right to invalidate it.
                    requireAuthorizationForCacheControl: true,
                    // A client without execute-api:InvalidateCache that sends
                    // Cache-Control: max-age=0 (a browser reload) gets the cached
                    // answer with a warning header, not a 403 (API Gateway developer
                    // guide, "Cache settings for REST APIs": invalidating an entry).
                    unauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
                },
            }, parent);
        }

        this.webAcl = this.waf(name, args, parent);
        new aws.wafv2.WebAclAssociation(`${name}-waf`, {
            resourceArn: this.stage.arn,
            webAclArn: this.webAcl.arn,
        }, parent);

        this.usagePlans(name, args, parent);

        if (fd.domain?.name && fd.domain.certificateArn) {
            const domain = new aws.apigateway.DomainName(`${name}-domain`, {
                domainName: fd.domain.name,
                regionalCertificateArn: fd.domain.certificateArn,
                endpointConfiguration: { types: "REGIONAL" },
                securityPolicy: "TLS_1_2",
                tags,
            }, parent);
            new aws.apigateway.BasePathMapping(`${name}-domain`, {
                restApi: api.id,
                stageName: this.stage.stageName,
                domainName: domain.domainName,
            }, parent);
            this.domainTarget = domain.regionalDomainName;
        }

        this.invokeUrl = this.stage.invokeUrl;
        this.routes = routeLines(planned);
    }

    /** The lambda TOKEN authorizer: a function in the edge VPC verifying JWTs against the configured keys. */
    private tokenAuthorizer(name: string, args: FrontDoorApiArgs, parent: { parent: pulumi.Resource }, define: <A extends object>(type: string, logical: string, a: A) => A): aws.apigateway.Authorizer {
        const { accountId, region, partition } = args.account;
        const tags = args.tags;
        const functionName = `${args.stack}-front-door-authorizer`;
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-authorizer`, {
            name: `/aws/lambda/${functionName}`,
            retentionInDays: args.platform.logRetentionDays,
            kmsKeyId: args.kmsKeyArn,
            tags,
        }, parent);
        // No ingress (API Gateway invokes it through the Lambda API) and no
        // egress: the keys ship with the code.
        const group = new aws.ec2.SecurityGroup(`${name}-authorizer`, {
            vpcId: args.vpc.vpc.id,
            description: "front door token authorizer: no ingress, no egress (keys ship with the code)",
            ingress: [],
            egress: [],
            tags: { ...tags, Name: "front-door-authorizer" },
        }, parent);
        const role = new aws.iam.Role(`${name}-authorizer`, {
            description: "front door token authorizer: its ENIs and its logs",
            assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", args.account),
            tags,
        }, parent);
        const arnOf = (type: string, id: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:${type}/${id}`;
        const policy = new aws.iam.RolePolicy(`${name}-authorizer`, {
            role: role.id,
            policy: policyDocument(functionRoleStatements(args.account, {
                subnetArns: args.vpc.subnetIds.map(id => arnOf("subnet", id)),
                securityGroupArn: arnOf("security-group", group.id),
                logGroupArn: logGroup.arn,
                kmsKeyArn: args.kmsKeyArn,
            })),
        }, parent);
        const jwt = args.frontDoor.jwt ?? {};
        // The keys travel in the code package, not in environment variables
        // (Lambda caps those at 4 KB: Lambda Developer Guide, "Lambda quotas"):
        // the environment carries their digest, which the function checks at
        // start and the policy pack compares with the configuration, with the
        // issuer and audiences (policies/lib/front-door.ts AUTHORIZER_ENV).
        const jwks = jwksDocument(jwt.jwks);
        if (jwks === undefined) throw new Error("platform.frontDoor.jwt.jwks is not JSON: paste the issuer's JWKS document");
        const fn = new aws.lambda.Function(`${name}-authorizer`, {
            name: functionName,
            description: "front door: verifies JWTs against the issuer's configured public keys",
            role: role.arn,
            packageType: "Zip",
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.FileAsset(path.join(__dirname, "frontDoorAuthorizer", "index.js")),
                "jwks.json": new pulumi.asset.StringAsset(jwks),
            }),
            handler: "index.handler",
            runtime: "nodejs22.x",
            architectures: ["arm64"],
            memorySize: 256,
            timeout: 5,
            reservedConcurrentExecutions: args.frontDoor.authorizerReservedConcurrency,
            vpcConfig: { subnetIds: args.vpc.subnetIds, securityGroupIds: [group.id] },
            // No dead-letter queue: API Gateway invokes authorizers synchronously, and a
            // function's dead-letter queue receives failed asynchronous invocations only
            // (Lambda developer guide, "Invoking Lambda functions asynchronously":
            // dead-letter queues; "Invoking a Lambda function using an Amazon API Gateway
            // endpoint": API Gateway invokes the function synchronously).
            loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
            environment: {
                variables: {
                    [AUTHORIZER_ENV.issuer]: jwt.issuer ?? "",
                    [AUTHORIZER_ENV.audiences]: JSON.stringify(jwt.audiences ?? []),
                    [AUTHORIZER_ENV.jwksSha256]: jwksDigest(jwks),
                },
            },
            tags,
        }, { ...parent, dependsOn: [policy] });
        const authorizer = new aws.apigateway.Authorizer(`${name}-jwt`, define(APIGW.authorizer, `${name}-jwt`, {
            restApi: this.restApi.id,
            name: "jwt",
            type: "TOKEN",
            authorizerUri: fn.invokeArn,
            identitySource: TOKEN_HEADER,
            identityValidationExpression: "^Bearer [-0-9A-Za-z._~+/]+=*$",
            authorizerResultTtlInSeconds: 300,
        }), parent);
        // API Gateway may invoke the function for this authorizer only
        // (API Gateway Developer Guide, "Configure an API Gateway Lambda authorizer").
        new aws.lambda.Permission(`${name}-jwt-invoke`, {
            action: "lambda:InvokeFunction",
            function: fn.name,
            principal: "apigateway.amazonaws.com",
            sourceArn: pulumi.interpolate`${this.restApi.executionArn}/authorizers/${authorizer.id}`,
            sourceAccount: accountId,
        }, parent);
        return authorizer;
    }

    /**
     * API Gateway's account-level CloudWatch role (one per account and Region,
     * shared by every stack there): created only when this stack owns it
     * (API Gateway Developer Guide, "Set up CloudWatch logging for REST APIs in
     * API Gateway"; the permissions are those of the AWS managed policy
     * AmazonAPIGatewayPushToCloudWatchLogs, inline and scoped to log groups).
     */
    private accountRole(name: string, args: FrontDoorApiArgs, parent: { parent: pulumi.Resource }): aws.apigateway.Account {
        const { accountId, region, partition } = args.account;
        // Retained on delete, with its policy and the setting: with @pulumi/aws v7 deleting the
        // Account resource resets the account's CloudWatch role for every API there
        // (hashicorp/terraform-provider-aws#42226 removed reset_on_delete: "always reset
        // account settings upon destruction"), and stages that log then fail to update.
        const retained = { ...parent, retainOnDelete: true };
        const role = new aws.iam.Role(`${name}-cloudwatch`, {
            description: "API Gateway (account-wide): writes execution and access logs to CloudWatch Logs",
            assumeRolePolicy: serviceTrustPolicy("apigateway.amazonaws.com", args.account),
            tags: args.tags,
        }, retained);
        const policy = new aws.iam.RolePolicy(`${name}-cloudwatch`, {
            role: role.id,
            policy: policyDocument([
                {
                    Sid: "DescribeLogGroups",
                    Effect: "Allow",
                    Action: ["logs:DescribeLogGroups"],
                    Resource: "*",
                },
                {
                    Sid: "WriteApiGatewayLogs",
                    Effect: "Allow",
                    Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
                    Resource: pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`,
                },
            ]),
        }, retained);
        return new aws.apigateway.Account(`${name}-account`, {
            cloudwatchRoleArn: role.arn,
        }, { ...retained, dependsOn: [policy] });
    }

    /** The stage's web ACL: the configured AWS managed rule groups, then a per-IP rate-based rule. */
    private waf(name: string, args: FrontDoorApiArgs, parent: { parent: pulumi.Resource }): aws.wafv2.WebAcl {
        const waf = args.frontDoor.waf;
        const metric = (n: string) => `${args.stack}-front-door-${n}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128);
        const visibility = (n: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric(n) });
        return new aws.wafv2.WebAcl(`${name}-waf`, {
            name: `${args.stack}-front-door`,
            description: `${args.stack} front door: AWS managed rules and a per-IP rate limit`,
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: [
                ...waf.managedRuleGroups.map((group, i) => ({
                    name: group,
                    priority: i + 1,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
                    visibilityConfig: visibility(group),
                })),
                {
                    name: "rate-per-ip",
                    priority: waf.managedRuleGroups.length + 1,
                    action: { block: {} },
                    statement: { rateBasedStatement: { limit: waf.rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
                    visibilityConfig: visibility("rate-per-ip"),
                },
            ],
            visibilityConfig: visibility("acl"),
            tags: args.tags,
        }, parent);
    }

    /**
     * One usage plan per catalog plan, and one API key per partner (AWS
     * generates the key's value), only in a stack whose front door serves one
     * of the plan's services: a shard without them would hold keys that open
     * nothing.
     */
    private usagePlans(name: string, args: FrontDoorApiArgs, parent: { parent: pulumi.Resource }): void {
        const served = new Set(args.methods.map(m => m.service));
        for (const plan of args.frontDoor.usagePlans) {
            if (!plan.services.some(s => served.has(s))) continue;
            const usagePlan = new aws.apigateway.UsagePlan(`${name}-plan-${plan.name}`, {
                name: `${args.stack}-${plan.name}`,
                description: plan.description ?? `${plan.name}: ${plan.services.join(", ")}`,
                apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
                throttleSettings: { rateLimit: (plan.throttling ?? args.frontDoor.throttling).rateLimit, burstLimit: (plan.throttling ?? args.frontDoor.throttling).burstLimit },
                ...(plan.quota ? { quotaSettings: { limit: plan.quota.limit, period: plan.quota.period } } : {}),
                tags: args.tags,
            }, parent);
            for (const partner of plan.partners) {
                const key = new aws.apigateway.ApiKey(`${name}-key-${partner}`, {
                    name: `${args.stack}-${partner}`,
                    description: `${partner} (usage plan ${plan.name})`,
                    enabled: true,
                    tags: args.tags,
                }, parent);
                new aws.apigateway.UsagePlanKey(`${name}-key-${partner}`, {
                    keyId: key.id,
                    keyType: "API_KEY",
                    usagePlanId: usagePlan.id,
                }, parent);
            }
        }
    }
}

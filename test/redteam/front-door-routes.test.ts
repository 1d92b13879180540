/**
 * Red-team cases against one promise of the front door: only the catalog's
 * routes reach a service, each with the authorizer the catalog names. Each
 * is an edit a reviewer could miss in the front door's components, keeping
 * every name the front door gives its resources, so only what a route
 * means (where its integration goes, who may call it) gives it away. Each
 * is planned offline with the front-door catalog (frontdoor.test.ts), or
 * the token authorizer's cases with the same catalog plus a route behind the
 * token authorizer and its configured issuer, audience and keys, and judged
 * by the real pack in both modes; the unedited program plans clean with each
 * (frontdoor.test.ts's baseline, and the token authorizer baseline here).
 */
import { mandatoryOf, planEdited, RedTeamCase } from "./harness";
import * as assert from "assert";
import { frontDoorCatalog, tokenAuthorizerCatalog } from "./front-door-catalog";
import { redTeamSuite } from "./run";

const API = "components/frontDoorApi.ts";
const DOOR = "components/frontDoor.ts";

/** The request path a VPC-link integration asks the edge ALB for, as the component writes it. */
const URI_PATH = "${m.path === \"/\" ? \"\" : m.path}${proxy";

const cases: RedTeamCase[] = [
    {
        name: "a route in code the catalog never declared: /admin over the VPC link to orders, behind IAM",
        edits: [
            {
                file: API,
                before: "        for (const [service, fn] of Object.entries(args.functions)) {",
                insert: `        {
            const admin = new aws.apigateway.Resource(\`\${name}-admin\`, { restApi: api.id, parentId: api.rootResourceId, pathPart: "admin" }, generation);
            const method = new aws.apigateway.Method(\`\${name}-admin-any\`, { restApi: api.id, resourceId: admin.id, httpMethod: "ANY", authorization: "AWS_IAM" }, generation);
            integrations.push(method, new aws.apigateway.Integration(\`\${name}-admin-any-integration\`, {
                restApi: api.id, resourceId: admin.id, httpMethod: method.httpMethod, type: "HTTP_PROXY", integrationHttpMethod: "ANY",
                connectionType: "VPC_LINK", connectionId: this.vpcLink.id, integrationTarget: args.alb.arn,
                uri: pulumi.interpolate\`http://\${args.alb.dnsName}/orders\`,
            }, generation));
        }
`,
            },
        ],
        expect: "apigateway-routes-match-catalog",
    },
    {
        name: "the open /health route (name, path and reason kept) asks the edge ALB for orders' path",
        edits: [{ file: API, replace: [URI_PATH, "${m.auth === \"none\" ? \"/orders\" : m.path === \"/\" ? \"\" : m.path}${proxy"] }],
        expect: ["apigateway-method-authorized", "apigateway-routes-match-catalog"],
        // The URI carries the edge ALB's DNS name: the engine decides at up.
        previewMayDefer: true,
    },
    {
        name: "the edge ALB's listener rule for /shop forwards to orders' endpoint (web's routes now reach orders)",
        edits: [{ file: DOOR, replace: ["targetGroupArn: this.targetGroups[m.service].arn", 'targetGroupArn: this.targetGroups[m.path === "/shop" ? "orders" : m.service].arn'] }],
        expect: "apigateway-routes-match-catalog",
        previewMayDefer: true,
    },
    {
        name: "a Cognito route downgraded to IAM authorization (any principal IAM allows, not the user pool's users)",
        edits: [{ file: API, replace: ["authorization: AUTHORIZATION_TYPE[m.auth],", 'authorization: AUTHORIZATION_TYPE[m.auth === "cognito" ? "iam" : m.auth],'] }],
        expect: "apigateway-routes-match-catalog",
    },
    {
        name: "the Cognito authorizer also trusts a second user pool of the same account",
        edits: [{ file: API, replace: ["providerArns: [fd.cognito.userPoolArn],", 'providerArns: [fd.cognito.userPoolArn, fd.cognito.userPoolArn.replace(/userpool\\/.*$/, "userpool/us-east-1_Partners9")],'] }],
        expect: "apigateway-routes-match-catalog",
    },
    {
        name: "the token authorizer also accepts the staging identity provider's tokens (its issuer hard-coded into the function)",
        edits: [{ file: API, replace: ["[AUTHORIZER_ENV.issuer]: jwt.issuer ?? \"\",", '[AUTHORIZER_ENV.issuer]: "https://login-staging.partner.example/",'] }],
        expect: "apigateway-routes-match-catalog",
        stackConfig: tokenAuthorizerCatalog(),
    },
    {
        name: "the token authorizer accepts one more audience than the configuration (an internal tool's tokens pass)",
        edits: [{ file: API, replace: ["JSON.stringify(jwt.audiences ?? [])", 'JSON.stringify([...(jwt.audiences ?? []), "internal-tools"])'] }],
        expect: "apigateway-routes-match-catalog",
        stackConfig: tokenAuthorizerCatalog(),
    },
    {
        name: "the token authorizer ships a developer's own signing keys instead of the issuer's (package and digest agree with each other, not with the configuration)",
        edits: [
            {
                file: API,
                replace: [
                    "const jwks = jwksDocument(jwt.jwks);",
                    'const jwks = jwksDocument(process.env.LOCAL_JWKS ?? \'{"keys":[{"kty":"RSA","kid":"local-dev","alg":"RS256","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","e":"AQAB"}]}\');',
                ],
            },
        ],
        expect: "apigateway-routes-match-catalog",
        stackConfig: tokenAuthorizerCatalog(),
    },
    {
        name: "stage variables: the integration's host chosen by the stage at request time",
        edits: [
            { file: API, replace: ["xrayTracingEnabled: true,", 'xrayTracingEnabled: true,\n            variables: { backend: "front-door-alb.internal" },'] },
            { file: API, replace: ["uri: pulumi.interpolate`http://${args.alb.dnsName}", "uri: pulumi.interpolate`http://\\${stageVariables.backend}"] },
        ],
        expect: "apigateway-no-stage-variables",
    },
    {
        name: "a resource policy on the REST API allowing every principal (any AWS account's IAM callers reach the IAM routes)",
        edits: [
            {
                file: API,
                replace: ['apiKeySource: "HEADER",', 'apiKeySource: "HEADER",\n            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" }] }),'],
            },
        ],
        expect: "apigateway-resource-policy-restricted",
    },
    {
        // AWS_IAM lets in whoever holds credentials the API's account allows: here, a role any principal of another account may assume.
        name: "the IAM routes called through a role another account's principals may assume (a partner's CI given an invoke role, trusted by aws:PrincipalArn)",
        edits: [
            {
                file: API,
                before: "        for (const [service, fn] of Object.entries(args.functions)) {",
                insert: `        {
            const caller = new aws.iam.Role(\`\${name}-partner-invoker\`, {
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/partner-ci-*" } } }] }),
            }, generation);
            new aws.iam.RolePolicy(\`\${name}-partner-invoker\`, {
                role: caller.id,
                policy: pulumi.interpolate\`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"\${api.executionArn}/*"}]}\`,
            }, generation);
        }
`,
            },
        ],
        expect: ["iam-trust-no-wildcard-principal", "iam-trust-conditions-restrict", "identity-accounts-declared"],
    },
    {
        name: "the WAF lets a user agent past its managed rules (an Allow rule ahead of them)",
        edits: [
            {
                file: API,
                before: "                ...waf.managedRuleGroups.map((group, i) => ({",
                insert: `                {
                    name: "trusted-agents",
                    priority: 0,
                    action: { allow: {} },
                    statement: { byteMatchStatement: { fieldToMatch: { singleHeader: { name: "user-agent" } }, positionalConstraint: "CONTAINS", searchString: "partner-bot", textTransformations: [{ priority: 0, type: "NONE" }] } },
                    visibilityConfig: visibility("trusted-agents"),
                },
`,
            },
        ],
        expect: "apigateway-stage-waf",
    },
    {
        name: "a shadow front door: a component at the root reusing the platform's and the front door's type tokens, holding its own regional REST API",
        edits: [
            { file: "index.ts", before: "import * as pulumi", insert: 'import * as aws from "@pulumi/aws";\n' },
            {
                file: "index.ts",
                insert: `
class ShadowPlatform extends pulumi.ComponentResource {
    constructor(name: string) {
        super("privatelink:index:Platform", name, {});
        const door = new pulumi.ComponentResource("privatelink:edge:FrontDoor", "front-door-v2", {}, { parent: this });
        new aws.apigateway.RestApi("front-door-v2-api", { endpointConfiguration: { types: "REGIONAL" } }, { parent: door });
        this.registerOutputs({});
    }
}
new ShadowPlatform("platform-v2");
`,
            },
        ],
        expect: "frontdoor-only-internet-facing",
    },
];

redTeamSuite("red team: only the catalog's routes reach a service, each with the catalog's authorizer", cases.map((c) => ({ ...c, stackConfig: c.stackConfig ?? frontDoorCatalog() })));

describe("red team: the token authorizer baseline", function () {
    this.timeout(120_000);
    for (const mode of ["up", "preview"] as const) {
        it(`(${mode}) the unedited program with a token-authorized route and a configured issuer plans with 0 mandatory violations`, async () => {
            const r = await planEdited([], { mode, stackConfig: tokenAuthorizerCatalog() });
            assert.deepStrictEqual(mandatoryOf(r.violations).map((v) => `${v.policy}: ${v.message.split("\n").pop()}`), []);
            assert.ok(r.resources.some((x) => x.type === "aws:apigateway/authorizer:Authorizer" && x.inputs?.type === "TOKEN"), "the catalog builds the token authorizer");
        });
    }
});

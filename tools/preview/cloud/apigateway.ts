/**
 * The fake cloud's answers for the API front door's resource types (API
 * Gateway REST v1, VPC link v2, WAFv2, ALB listener rules) and the two reads
 * it makes (an interface endpoint's network interfaces, their private IPs).
 * Formats as AWS documents them:
 * - REST API id: 10 lowercase alphanumerics; invoke URL
 *   `https://<id>.execute-api.<region>.amazonaws.com/<stage>`; execution ARN
 *   `arn:aws:execute-api:<region>:<account>:<id>` (API Gateway Developer Guide,
 *   "Invoke REST APIs in API Gateway"; "Resource ARNs for API Gateway").
 * - API Gateway resource ARNs `arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`,
 *   `/apikeys/<id>`, `/usageplans/<id>`, `/domainnames/<name>` (same page).
 * - WAFv2 web ACL ARN `arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<uuid>`
 *   (AWS WAF API reference, WebACL ARN).
 * Deterministic: everything derives from the URN (or the read's arguments).
 */
import type { Ctx } from "./common";
import type { NetworkInterfaceState } from "./interfaces";

type Props = Record<string, unknown>;

/** What a handler knows of the resource (cloud.ts Ctx, without the cloud's memory). */
export type FrontDoorCtx = Omit<Ctx, "state">;

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** `n` lowercase alphanumerics from hex digits (API Gateway ids). */
export function lowerAlnum(hex: string, n: number): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; out.length < n; i += 2) {
        out += alphabet[parseInt(hex.slice(i % hex.length, (i % hex.length) + 2).padEnd(2, "0"), 16) % alphabet.length];
    }
    return out;
}

function uuid(hex32: string): string {
    return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-4${hex32.slice(13, 16)}-a${hex32.slice(17, 20)}-${hex32.slice(20, 32)}`;
}

function apigwArn(c: FrontDoorCtx, resource: string): string {
    return `arn:${c.partition}:apigateway:${c.region}::${resource}`;
}

/** The id API Gateway gives a REST API, deployment, resource... (10 lowercase alphanumerics). */
function apiId(c: FrontDoorCtx, purpose: string, n = 10): string {
    return lowerAlnum(c.hex(2 * n, purpose), n);
}

export const FRONT_DOOR_HANDLERS: Record<string, (c: FrontDoorCtx) => { id: string; checked?: Props; computed?: Props }> = {
    "aws:apigateway/restApi:RestApi": c => {
        const id = apiId(c, "restapi");
        const name = c.autoname();
        return {
            id,
            checked: { name },
            computed: {
                arn: apigwArn(c, `/restapis/${id}`),
                executionArn: `arn:${c.partition}:execute-api:${c.region}:${c.account}:${id}`,
                rootResourceId: apiId(c, "root"),
                createdDate: "2026-01-01T00:00:00Z",
                apiKeySource: str(c.inputs.apiKeySource) ?? "HEADER",
                disableExecuteApiEndpoint: false,
            },
        };
    },
    "aws:apigateway/resource:Resource": c => {
        const id = apiId(c, "resource", 6);
        return { id, computed: { path: `/${str(c.inputs.pathPart) ?? ""}` } };
    },
    "aws:apigateway/method:Method": c => ({ id: `agm-${str(c.inputs.restApi) ?? "api"}-${str(c.inputs.resourceId) ?? "res"}-${str(c.inputs.httpMethod) ?? "GET"}` }),
    "aws:apigateway/integration:Integration": c => ({
        id: `agi-${str(c.inputs.restApi) ?? "api"}-${str(c.inputs.resourceId) ?? "res"}-${str(c.inputs.httpMethod) ?? "GET"}`,
        computed: { passthroughBehavior: "WHEN_NO_MATCH", timeoutMilliseconds: c.inputs.timeoutMilliseconds ?? 29000 },
    }),
    "aws:apigateway/authorizer:Authorizer": c => {
        // The provider refuses a Cognito authorizer without user pools
        // (hashicorp/terraform-provider-aws internal/service/apigateway/authorizer.go:
        // `validateAuthorizerType` at create in older releases, `resourceAuthorizerCustomizeDiff`
        // at plan time since; the message is the provider's).
        const arns = c.inputs.providerArns;
        if (c.inputs.type === "COGNITO_USER_POOLS" && !(Array.isArray(arns) && arns.length > 0)) {
            throw new Error("provider_arns must be set non-empty when authorizer type is COGNITO_USER_POOLS");
        }
        const id = apiId(c, "authorizer", 6);
        return { id, computed: { arn: apigwArn(c, `/restapis/${str(c.inputs.restApi) ?? "api"}/authorizers/${id}`) } };
    },
    "aws:apigateway/requestValidator:RequestValidator": c => ({ id: apiId(c, "validator", 6) }),
    // Id `<rest api id>/<part id>` (terraform-provider-aws internal/service/apigateway/documentation_part.go).
    "aws:apigateway/documentationPart:DocumentationPart": c => {
        const part = apiId(c, "docpart");
        return { id: `${str(c.inputs.restApiId) ?? "api"}/${part}`, computed: { documentationPartId: part } };
    },
    "aws:apigateway/model:Model": c => ({ id: apiId(c, "model", 6) }),
    "aws:apigateway/deployment:Deployment": c => {
        const id = apiId(c, "deployment");
        const api = str(c.inputs.restApi) ?? "api";
        return {
            id,
            computed: {
                createdDate: "2026-01-01T00:00:00Z",
                executionArn: `arn:${c.partition}:execute-api:${c.region}:${c.account}:${api}/`,
                invokeUrl: `https://${api}.execute-api.${c.region}.amazonaws.com/`,
            },
        };
    },
    "aws:apigateway/stage:Stage": c => {
        const api = str(c.inputs.restApi) ?? "api";
        const stage = str(c.inputs.stageName) ?? "v1";
        return {
            id: `ags-${api}-${stage}`,
            computed: {
                arn: apigwArn(c, `/restapis/${api}/stages/${stage}`),
                executionArn: `arn:${c.partition}:execute-api:${c.region}:${c.account}:${api}/${stage}`,
                invokeUrl: `https://${api}.execute-api.${c.region}.amazonaws.com/${stage}`,
                webAclArn: "",
            },
        };
    },
    "aws:apigateway/methodSettings:MethodSettings": c => ({ id: `${str(c.inputs.restApi) ?? "api"}-${str(c.inputs.stageName) ?? "v1"}-${str(c.inputs.methodPath) ?? "*/*"}` }),
    "aws:apigateway/account:Account": () => ({ id: "api-gateway-account", computed: { throttleSettings: [{ burstLimit: 5000, rateLimit: 10000 }], apiKeyVersion: "4", features: ["UsagePlans"] } }),
    "aws:apigateway/usagePlan:UsagePlan": c => {
        const id = apiId(c, "usageplan", 6);
        return { id, checked: { name: c.autoname() }, computed: { arn: apigwArn(c, `/usageplans/${id}`) } };
    },
    "aws:apigateway/apiKey:ApiKey": c => {
        const id = apiId(c, "apikey");
        return {
            id,
            checked: { name: c.autoname() },
            computed: { arn: apigwArn(c, `/apikeys/${id}`), value: lowerAlnum(c.hex(80, "value"), 40), createdDate: "2026-01-01T00:00:00Z", lastUpdatedDate: "2026-01-01T00:00:00Z" },
        };
    },
    "aws:apigateway/usagePlanKey:UsagePlanKey": c => ({ id: str(c.inputs.keyId) ?? apiId(c, "upk"), computed: { name: "", value: "" } }),
    "aws:apigateway/domainName:DomainName": c => {
        const name = str(c.inputs.domainName) ?? "api.example.com";
        return {
            id: name,
            computed: {
                arn: apigwArn(c, `/domainnames/${name}`),
                regionalDomainName: `d-${apiId(c, "domain")}.execute-api.${c.region}.amazonaws.com`,
                regionalZoneId: c.region === "us-east-1" ? "Z1UJRXOUMOOFQ8" : `Z${lowerAlnum(c.hex(26, "zone"), 13).toUpperCase()}`,
                certificateUploadDate: "2026-01-01T00:00:00Z",
            },
        };
    },
    "aws:apigateway/basePathMapping:BasePathMapping": c => ({ id: `${str(c.inputs.domainName) ?? "api.example.com"}/` }),
    "aws:apigatewayv2/vpcLink:VpcLink": c => {
        const id = apiId(c, "vpclink", 6);
        return { id, checked: { name: c.autoname() }, computed: { arn: apigwArn(c, `/vpclinks/${id}`) } };
    },
    "aws:wafv2/webAcl:WebAcl": c => {
        const name = c.autoname();
        const id = uuid(c.hex(32, "webacl"));
        return {
            id,
            checked: { name },
            computed: {
                arn: `arn:${c.partition}:wafv2:${c.region}:${c.account}:regional/webacl/${name}/${id}`,
                capacity: 1000,
                lockToken: uuid(c.hex(32, "lock")),
                applicationIntegrationUrl: "",
            },
        };
    },
    "aws:wafv2/webAclAssociation:WebAclAssociation": c => ({ id: `${str(c.inputs.webAclArn) ?? "webacl"},${str(c.inputs.resourceArn) ?? "resource"}` }),
    "aws:lb/listenerRule:ListenerRule": c => {
        const listener = str(c.inputs.listenerArn) ?? `arn:${c.partition}:elasticloadbalancing:${c.region}:${c.account}:listener/app/lb/${c.hex(16, "lb")}/${c.hex(16, "l")}`;
        const a = `${listener.replace(":listener/", ":listener-rule/")}/${c.hex(16, "rule")}`;
        return { id: a, computed: { arn: a } };
    },
};

export interface FrontDoorInvokeCtx {
    inputs: Props;
    region: string;
    account: string;
    partition: string;
    interfaces: NetworkInterfaceState;
}

export const FRONT_DOOR_INVOKES: Record<string, (c: FrontDoorInvokeCtx) => Props> = {
    // DescribeVpcEndpoints as aws.ec2.getVpcEndpoint answers it (the fields the program reads).
    "aws:ec2/getVpcEndpoint:getVpcEndpoint": c => {
        const id = str(c.inputs.id) ?? "";
        const enis = c.interfaces.endpointInterfaces.get(id);
        if (!enis) {
            throw new Error(`reading EC2 VPC Endpoint (${id}): couldn't find resource (the offline cloud created no such interface endpoint)`);
        }
        return { id, vpcEndpointType: "Interface", state: "available", networkInterfaceIds: enis, ownerId: c.account };
    },
    // DescribeNetworkInterfaces for one id (aws.ec2.getNetworkInterface).
    "aws:ec2/getNetworkInterface:getNetworkInterface": c => {
        const id = str(c.inputs.id) ?? "";
        const eni = c.interfaces.networkInterfaces.get(id);
        if (!eni) {
            throw new Error(`reading EC2 Network Interface (${id}): couldn't find resource`);
        }
        return {
            id,
            subnetId: eni.subnetId,
            privateIp: eni.privateIp,
            privateIps: [eni.privateIp],
            interfaceType: "vpc_endpoint",
            description: `VPC Endpoint Interface ${eni.vpcEndpointId}`,
            requesterManaged: true,
            ownerId: c.account,
        };
    },
};

import { APIGW, endpointTypes } from "./apigateway";
import { LOAD_BALANCER_TYPES } from "./graph";
import { bool, peek, UNKNOWN } from "./values";

/**
 * Which resources face the internet, by type and properties: a public
 * endpoint, a public address, an internet-facing listener or a gateway to the
 * internet. Used by `frontdoor-only-internet-facing`; values unknown in
 * preview count as not facing (other rules decide them at `up`).
 */
type Facing = (props: unknown) => string | undefined;

const always =
    (why: string): Facing =>
    () =>
        why;
const whenTrue =
    (path: string[], why: string, dflt = false): Facing =>
    (props) => {
        const v = peek(props, ...path);
        if (v === UNKNOWN) return undefined;
        return (bool(v) ?? dflt) ? why : undefined;
    };

export const INTERNET_FACING: Readonly<Record<string, Facing>> = {
    [APIGW.restApi]: (props) => {
        const t = endpointTypes(props);
        if (t === UNKNOWN) return undefined;
        return t?.length === 1 && t[0] === "PRIVATE" ? undefined : `a ${t?.join("/") ?? "EDGE (default)"} REST API endpoint`;
    },
    [APIGW.stage]: always("a stage: the invoke URL https://<id>.execute-api.<region>.amazonaws.com/<stage>"),
    [APIGW.domainName]: always("a custom domain name for an API"),
    "aws:apigatewayv2/api:Api": always("an HTTP/WebSocket API endpoint"),
    "aws:apigatewayv2/stage:Stage": always("an HTTP/WebSocket API stage"),
    "aws:apigatewayv2/domainName:DomainName": always("a custom domain name for an HTTP API"),
    "aws:lambda/functionUrl:FunctionUrl": always("a Lambda function URL (a public HTTPS endpoint)"),
    "aws:cloudfront/distribution:Distribution": always("a CloudFront distribution"),
    "aws:globalaccelerator/accelerator:Accelerator": always("a Global Accelerator"),
    "aws:apprunner/service:Service": (props) => (bool(peek(props, "networkConfiguration", "ingressConfiguration", "isPubliclyAccessible")) === false ? undefined : "an App Runner service with a public endpoint"),
    "aws:ec2/internetGateway:InternetGateway": always("an internet gateway"),
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": always("an egress-only internet gateway"),
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment": always("an internet gateway attachment"),
    "aws:ec2/eip:Eip": always("an Elastic IP address"),
    "aws:ec2/natGateway:NatGateway": (props) => (peek(props, "connectivityType") === "private" ? undefined : "a public NAT gateway"),
    "aws:ec2/instance:Instance": whenTrue(["associatePublicIpAddress"], "an instance with a public IP address"),
    "aws:ec2/subnet:Subnet": whenTrue(["mapPublicIpOnLaunch"], "a subnet that gives public IP addresses"),
    "aws:ecs/service:Service": whenTrue(["networkConfiguration", "assignPublicIp"], "ECS tasks with public IP addresses"),
    ...Object.fromEntries(
        LOAD_BALANCER_TYPES.map((t): [string, Facing] => [
            t,
            (props) => {
                const v = peek(props, "internal");
                if (v === UNKNOWN) return undefined;
                return bool(v) === true ? undefined : "an internet-facing load balancer";
            },
        ]),
    ),
};

/** The types the front door may hold that face the internet: its REST API, stage and custom domain (the WAF is attached to the stage). */
export const FRONT_DOOR_FACING = new Set<string>([APIGW.restApi, APIGW.stage, APIGW.domainName]);

/** Why a resource faces the internet, or undefined. */
export function internetFacing(type: string, props: unknown): string | undefined {
    const f = INTERNET_FACING[type];
    return f ? f(props) : undefined;
}

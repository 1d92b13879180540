import { STACK_TYPE, tooBroad } from "../../lib/exemptions";
import { globMatch } from "../../lib/glob";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, asStrings, get, str } from "../../lib/values";

export const FORBIDDEN_GATEWAY_TYPES = [
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/internetGatewayAttachment:InternetGatewayAttachment",
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
    "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter",
    "aws:ec2/vpnGateway:VpnGateway",
    "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment",
    "aws:ec2/vpnConnection:VpnConnection",
    "aws:ec2/customerGateway:CustomerGateway",
    "aws:ec2clientvpn/endpoint:Endpoint",
];

/** Only patterns that name resources count: a wildcard allowance is refused (and reported on the stack). */
function allowed(urn: string, patterns: string[]): boolean {
    return patterns.some((p) => tooBroad(p) === undefined && globMatch(p, urn));
}

const FIX = "Fix: remove it (services connect only through PrivateLink), or list its URN pattern in this policy's allowedResources with a reason in docs/policies.md.";

export const noInternetOrCrossVpcGateways = resourceRule({
    name: "no-internet-or-cross-vpc-gateways",
    description: "No internet, egress-only or NAT gateway, peering, transit-gateway attachment, VPN or Client VPN anywhere in the stack.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Delete the gateway/peering/attachment. If a front door genuinely needs one, add its URN pattern to allowedResources.",
    configSchema: {
        properties: {
            allowedResources: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "URN glob patterns of resources allowed to be gateways (e.g. the front door's internet gateway).",
            },
        },
    },
    meta: {
        area: "network",
        rationale: "Each of these is a path into or between VPCs that bypasses PrivateLink's per-service, per-principal gate.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW"], checkov: ["CKV2_AWS_44"] },
    },
    validateResource: [
        ...ofTypes([STACK_TYPE], (_props, args, report) => {
            for (const p of asStrings(args.getConfig<{ allowedResources?: unknown }>().allowedResources)) {
                const broad = tooBroad(p);
                if (broad) {
                    report(`allowedResources entry ${JSON.stringify(p)} ${broad}: it would let any gateway, peering or VPN through, so it allows nothing. Fix: list the URN pattern of the one resource that needs it (type and name).`, args.urn);
                }
            }
        }),
        ...ofTypes(FORBIDDEN_GATEWAY_TYPES, (_props, args, report) => {
            const patterns = asStrings(args.getConfig<{ allowedResources?: unknown }>().allowedResources);
            if (!allowed(args.urn, patterns)) {
                report(`${subject(args)} (${args.urn}) opens a path that bypasses PrivateLink. ${FIX}`);
            }
        }),
        ...ofTypes(["awsx:ec2:Vpc"], (props, args, report) => {
            const patterns = asStrings(args.getConfig<{ allowedResources?: unknown }>().allowedResources);
            if (allowed(args.urn, patterns)) {
                return;
            }
            const strategy = str(get(get(props, "natGateways"), "strategy"));
            if (strategy !== "None") {
                report(`${subject(args)} natGateways.strategy = ${strategy ?? "(default OnePerAz)"} creates NAT gateways. Fix: set natGateways: { strategy: "None" }.`);
            }
            const specs = get(props, "subnetSpecs");
            const types = asArray(specs).map((s) => str(get(s, "type")));
            if (specs === undefined || types.includes("Public")) {
                report(`${subject(args)} subnetSpecs ${specs === undefined ? "(default)" : ""} include Public subnets, which come with an internet gateway. Fix: subnetSpecs: [{ type: "Isolated" }] (or Private with no NAT).`);
            }
        }),
    ],
});

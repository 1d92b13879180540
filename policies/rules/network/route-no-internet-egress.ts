import { ofType, ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, get, peek, present, show, UNKNOWN } from "../../lib/values";

/**
 * Every route target of aws.ec2.Route and of a route table's inline routes
 * (pulumi-aws ec2 Route / RouteTable / DefaultRouteTable inputs). Each one
 * sends traffic somewhere other than the VPC's own local route: gateways
 * (internet, egress-only, virtual private via gatewayId, NAT, transit,
 * carrier, local), peering, a Cloud WAN core network, or an appliance (a
 * Gateway Load Balancer endpoint, a network interface or an instance) that
 * can forward it anywhere.
 */
export const ROUTE_TARGETS = [
    "gatewayId",
    "natGatewayId",
    "egressOnlyGatewayId",
    "vpcPeeringConnectionId",
    "transitGatewayId",
    "carrierGatewayId",
    "coreNetworkArn",
    "localGatewayId",
    "vpcEndpointId",
    "networkInterfaceId",
    "instanceId",
];

const DESTINATIONS = ["destinationCidrBlock", "cidrBlock", "destinationIpv6CidrBlock", "ipv6CidrBlock", "destinationPrefixListId"];

const FIX = "Fix: remove the route; service VPCs keep only their local route (and the S3 gateway endpoint's route, which AWS manages); reach other services through interface endpoints and AWS APIs through VPC endpoints.";

function check(route: unknown, where: string, report: (m: string) => void): void {
    for (const key of ROUTE_TARGETS) {
        // Presence decides: a target set from another resource's output is
        // unknown in preview but is never the literal "local".
        if (!present(route, key)) {
            continue;
        }
        const v = peek(route, key);
        if (key === "gatewayId" && v === "local") {
            continue;
        }
        const dest = DESTINATIONS.map((d) => peek(route, d)).find((d) => d !== undefined && d !== null && d !== "");
        report(
            `${where} routes ${dest === UNKNOWN ? "(a destination known after up)" : show(dest ?? "(destination)")} to ${key} = ${v === UNKNOWN ? "(an output known after up)" : show(v)}, ` +
                `a target that leaves the VPC. ${FIX}`,
        );
    }
}

function routeTable(props: Record<string, unknown>, where: string, report: (m: string) => void): void {
    asArray(get(props, "routes")).forEach((r, i) => check(r, `${where} routes[${i}]`, report));
    if (present(props, "propagatingVgws")) {
        report(`${where} propagatingVgws = ${show(peek(props, "propagatingVgws") === UNKNOWN ? "(known after up)" : peek(props, "propagatingVgws"))} propagates VPN routes into the table. Fix: remove propagatingVgws.`);
    }
}

export const routeNoInternetEgress = resourceRule({
    name: "route-no-internet-egress",
    description:
        "No route in a service VPC leaves the VPC: no target other than `local` in aws.ec2.Route, a RouteTable's or DefaultRouteTable's inline routes, no VGW route propagation (propagatingVgws, VpnGatewayRoutePropagation).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Delete routes to igw-/nat-/eigw-/vgw-/pcx-/tgw-/cagw-/lgw- targets, core networks, GWLB endpoints, network interfaces and instances; remove VGW propagation. Use VPC endpoints for AWS APIs and PrivateLink for other services.",
    meta: {
        area: "network",
        rationale:
            "A route is what turns a gateway into a path; service VPCs must have none out. Route targets are those of the EC2 CreateRoute API (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html); " +
            "its VpcEndpointId is supported for Gateway Load Balancer endpoints only, so the S3 gateway endpoint's prefix-list route is never a route resource: AWS adds it when the endpoint is associated with the table " +
            "(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html). Propagated routes come from a virtual private gateway " +
            "(https://docs.aws.amazon.com/vpc/latest/userguide/WorkWithRouteTables.html#EnableDisableRouteProp). Presence of a target decides, so the rule runs in preview too.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW"], checkov: ["CKV2_AWS_44"] },
    },
    validateResource: [
        ofType("aws:ec2/route:Route", (props, args, report) => check(props, subject(args), report)),
        ...ofTypes(["aws:ec2/routeTable:RouteTable", "aws:ec2/defaultRouteTable:DefaultRouteTable"], (props, args, report) => routeTable(props, subject(args), report)),
        ofType("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation", (props, args, report) => {
            report(`${subject(args)} propagates a virtual private gateway's routes into route table ${show(peek(props, "routeTableId") === UNKNOWN ? "(known after up)" : peek(props, "routeTableId"))}. Fix: remove it.`);
        }),
    ],
});

import { ofType, resourceRule, subject } from "../../lib/rule";
import { asArray, get, show } from "../../lib/values";

/** Route targets that lead out of a service VPC other than through PrivateLink. */
const TARGETS = [
    "gatewayId",
    "natGatewayId",
    "egressOnlyGatewayId",
    "vpcPeeringConnectionId",
    "transitGatewayId",
    "carrierGatewayId",
    "coreNetworkArn",
    "localGatewayId",
];

function check(route: unknown, where: string, report: (m: string) => void): void {
    for (const key of TARGETS) {
        const v = get(route, key);
        if (v === undefined || v === null || v === "") {
            continue;
        }
        if (key === "gatewayId" && v === "local") {
            continue;
        }
        const dest = get(route, "destinationCidrBlock") ?? get(route, "cidrBlock") ?? get(route, "destinationIpv6CidrBlock") ?? get(route, "ipv6CidrBlock");
        report(
            `${where} routes ${show(dest ?? "(destination)")} to ${key} = ${show(v)}: service VPCs have no internet, NAT, peering or transit path. ` +
                `Fix: remove the route; reach other services through interface endpoints and AWS APIs through VPC endpoints.`,
        );
    }
}

export const routeNoInternetEgress = resourceRule({
    name: "route-no-internet-egress",
    description: "No route in a service VPC targets an internet gateway, NAT gateway, peering connection or transit gateway.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Delete routes to igw-/nat-/pcx-/tgw- targets; use VPC endpoints for AWS APIs and PrivateLink for other services.",
    meta: {
        area: "network",
        rationale: "A route is what turns a gateway into a path; service VPCs must have none out.",
        afterUp: "gateway ids of gateways created in the same run are unknown in preview; the no-internet-or-cross-vpc-gateways rule catches the gateway itself by type.",
        equivalents: { cdkNag: ["NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW"], checkov: ["CKV2_AWS_44"] },
    },
    validateResource: [
        ofType("aws:ec2/route:Route", (props, args, report) => check(props, subject(args), report)),
        ofType("aws:ec2/routeTable:RouteTable", (props, args, report) => {
            asArray(get(props, "routes")).forEach((r, i) => check(r, `${subject(args)} routes[${i}]`, report));
        }),
    ],
});

import { reachabilityOf } from "../../lib/reachability/catalog";
import { reportAdvisory, stackRule } from "../../lib/rule";

const DESCRIPTION =
    "Every declared edge (each consumes, and the API front door's edge to each exposed service) carries a TCP connection in the plan: consumer workload (the front door's: its edge ALB) -> its interface endpoint (port) -> the endpoint service (zones, acceptance, principals) -> NLB listener -> target group -> the provider's workload port, health checks included.";

export const reachabilityDeclaredEdges = stackRule({
    name: "reachability-declared-edges",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Read the hop the finding names (`dropped at <resource> (<check>): <why>`) and fix that resource: the security group rule, the listener port, the endpoint's subnets, the connection accepter or the allowed principals. docs/reachability.md lists every hop.",
    meta: {
        area: "reachability",
        rationale:
            "A wrong security group rule, port, zone or missing acceptance otherwise shows only when a service is down after `up`; AWS's Reachability Analyzer needs deployed resources (https://docs.aws.amazon.com/vpc/latest/reachability/what-is-reachability-analyzer.html). Targets of an endpoint service see the NLB's private addresses (Elastic Load Balancing, 'Target groups for your Network Load Balancers': client IP preservation does not apply to PrivateLink traffic); an endpoint can only use zones its service's NLB serves (AWS PrivateLink Guide, 'Create a VPC endpoint service').",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const r = reachabilityOf(args.resources);
        for (const e of r.edges) {
            if (e.status === "blocked") {
                report(`${e.reason}. Fix: ${fix(e.hops[e.hops.length - 1]?.kind)}`, e.hops[e.hops.length - 1]?.urn);
            } else if (e.status === "partial") {
                reportAdvisory(report, DESCRIPTION, `${e.reason}. Run the analysis over the whole environment's records (docs/reachability.md) to decide the other half.`);
            }
        }
    },
});

function fix(kind: string | undefined): string {
    switch (kind) {
        case "security group":
            return "admit the port on that group (from the peer's group or subnets).";
        case "network ACL":
            return "add an allow rule for the port ahead of the deny in that network ACL.";
        case "NLB listener":
        case "ALB listener":
            return "listen on the provider's catalog port.";
        case "zones":
            return "give the endpoint subnets only in zones the provider's NLB serves, or add the zone to the NLB.";
        case "acceptance":
            return "accept the connection (aws.ec2.VpcEndpointConnectionAccepter) or let the provider's stack accept it.";
        case "principals":
            return "add the consumer account's principal to the endpoint service's allowedPrincipals.";
        case "endpoint":
            return "declare the edge in the catalog so the program creates the consumer's interface endpoint.";
        case "target group":
            return "register the provider's workload with the target group.";
        case "lambda permission":
            return "grant elasticloadbalancing.amazonaws.com lambda:InvokeFunction with sourceArn = the target group.";
        default:
            return "see docs/reachability.md.";
    }
}

import { reachabilityOf } from "../../lib/reachability/catalog";
import { stackRule } from "../../lib/rule";

export const reachabilityNoUndeclaredPaths = stackRule({
    name: "reachability-no-undeclared-paths",
    description:
        "Nothing reaches that is not declared: no path between two services without a declared edge (through an interface endpoint, a load balancer forwarding to one, or inside a shared VPC), and no path from a service subnet out of the platform except through AWS-service endpoints.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps:
        "Remove the security group rule, endpoint or route that opens the path (the finding names it), or declare the edge in the catalog's consumes.",
    meta: {
        area: "reachability",
        rationale:
            "The catalog's edges are the whole service graph: a path it does not declare is lateral movement waiting to happen, and a route to a gateway takes traffic out of the isolated VPC (AWS Network Access Analyzer answers this only for deployed resources: https://docs.aws.amazon.com/vpc/latest/network-access-analyzer/what-is-network-access-analyzer.html).",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const r = reachabilityOf(args.resources);
        for (const e of r.undeclared) {
            const opened = e.hops.filter((h) => h.kind === "security group").pop();
            report(`${e.reason}. Fix: remove what opens it${opened ? ` (${opened.at})` : ""} or declare ${e.consumer} -> ${e.provider} in the catalog.`, opened?.urn);
        }
        for (const o of r.outside) {
            report(o.reason, o.urn);
        }
    },
});

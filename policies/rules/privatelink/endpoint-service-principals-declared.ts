import { label, stackIndex, TYPES } from "../../lib/graph";
import { reportAdvisory, stackRule } from "../../lib/rule";
import { asArray, peek, UNKNOWN } from "../../lib/values";

const DESCRIPTION =
    "Endpoint services declare their allowed principals in one place only (allowedPrincipals or VpcEndpointServiceAllowedPrinciple resources, never both); one that allows nobody is reported as advisory.";

export const endpointServicePrincipalsDeclared = stackRule({
    name: "endpoint-service-principals-declared",
    description: DESCRIPTION,
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Declare the consumers' principals in exactly one place: allowedPrincipals on the service, or one aws.ec2.VpcEndpointServiceAllowedPrinciple per principal.",
    meta: {
        area: "privatelink",
        rationale: "An endpoint service nobody may connect to is dead; declared in two places, the two mechanisms overwrite each other on every update.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const inline = peek(svc.props, "allowedPrincipals");
            const separate = idx.referencing(svc.urn, "vpcEndpointServiceId").filter((r) => r.type === TYPES.endpointServicePrincipal);
            const hasInline = inline === UNKNOWN || asArray(inline).length > 0;
            if (hasInline && separate.length > 0) {
                report(
                    `${label(svc)} sets allowedPrincipals inline and also has ${separate.length} VpcEndpointServiceAllowedPrinciple resource(s) (${separate
                        .map((r) => r.name)
                        .join(", ")}); they overwrite each other. Fix: keep one mechanism.`,
                    svc.urn,
                );
            }
            if (!hasInline && separate.length === 0) {
                // Harmless (nobody can connect) but dead: advisory whatever the policy's level.
                reportAdvisory(report, DESCRIPTION, `${label(svc)} allows no principal, so no consumer can connect. Fix: set allowedPrincipals to the declared consumers' principal ARNs, or drop the endpoint service if nothing consumes it.`, svc.urn);
            }
        }
    },
});

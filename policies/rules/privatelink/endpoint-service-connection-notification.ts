import { label, stackIndex, TYPES } from "../../lib/graph";
import { stackRule } from "../../lib/rule";

export const endpointServiceConnectionNotification = stackRule({
    name: "endpoint-service-connection-notification",
    description: "Every endpoint service has a connection notification (Connect/Accept/Reject/Delete to SNS).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Add an aws.ec2.VpcEndpointConnectionNotification with vpcEndpointServiceId = <service>.id, connectionEvents [Connect, Accept, Reject, Delete] and an SNS topic whose policy lets vpce.amazonaws.com publish.",
    meta: {
        area: "privatelink",
        rationale: "Connection requests are the only signal that someone tries to reach a service; the provider must hear about every one.",
        equivalents: {},
    },
    validateStack: (args, report) => {
        const idx = stackIndex(args.resources);
        for (const svc of idx.ofType(TYPES.endpointService)) {
            const notes = idx.referencing(svc.urn, "vpcEndpointServiceId").filter((r) => r.type === TYPES.connectionNotification);
            if (notes.length === 0) {
                report(
                    `${label(svc)} has no aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification whose vpcEndpointServiceId depends on it. ` +
                        `Fix: add one for Connect, Accept, Reject and Delete events.`,
                    svc.urn,
                );
            }
        }
    },
});

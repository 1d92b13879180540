import { EKS_CLUSTER, EKS_COMPONENT, eksSettings } from "../../lib/eks";
import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { show } from "../../lib/values";

export const eksAuthenticationModeApi = resourceRule({
    name: "eks-authentication-mode-api",
    description: "EKS clusters authenticate through access entries only (authenticationMode API), not the aws-auth ConfigMap.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: 'aws.eks.Cluster: accessConfig: { authenticationMode: "API" }; eks.Cluster: authenticationMode: eks.AuthenticationMode.Api, with access entries per role.',
    meta: {
        area: "compute",
        rationale: "Access entries are IAM-managed and auditable; the ConfigMap is editable by anyone with cluster write access.",
        equivalents: {},
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        if (s.authenticationMode !== "API") {
            report(`${subject(args)} ${s.paths.authenticationMode} = ${show(s.authenticationMode ?? "(default CONFIG_MAP)")}. Fix: set ${s.paths.authenticationMode}: "API".`);
        }
    }),
});

import { parsePolicyDocument, statementName, wildcardPrincipalGrants } from "../../lib/policydoc";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get } from "../../lib/values";

export const ecrPolicyNoPublicPrincipal = resourceRule({
    name: "ecr-policy-no-public-principal",
    description: "ECR repository policies never allow the `*` principal.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Name the accounts or roles that pull (arn:aws:iam::<account>:root or role ARNs) instead of *.",
    meta: {
        afterUp: "the repository policy names roles by ARN, unknown in preview.",
        area: "registry",
        rationale: "A * principal makes the images (and whatever is baked into them) readable or writable by anyone.",
        equivalents: { checkov: ["CKV_AWS_32"] },
    },
    validateResource: ofType("aws:ecr/repositoryPolicy:RepositoryPolicy", (props, args, report) => {
        const doc = parsePolicyDocument(get(props, "policy"));
        if (doc.error) {
            report(`${subject(args)} policy ${doc.error}. Fix: pass a valid JSON policy document.`);
            return;
        }
        for (const { statement, shown } of wildcardPrincipalGrants(doc)) {
            const actions = JSON.stringify(statement.actions ?? statement.notActions ?? []);
            report(`${subject(args)} statement ${statementName(statement)} allows Principal ${shown} (actions ${actions}). Fix: name the pulling accounts or roles.`);
        }
    }),
});

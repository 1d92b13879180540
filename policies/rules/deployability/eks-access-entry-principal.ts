import { documentationPrincipal } from "../../facts/documentation-values";
import { EKS_COMPONENT } from "../../lib/eks";
import { ofType, resourceRule, subject } from "../../lib/rule";
import { get, isRecord, show } from "../../lib/values";

export const EKS_ACCESS_ENTRY = "aws:eks/accessEntry:AccessEntry";

/** Role and user ARNs: what an access entry can name (never an STS session, never a wildcard). */
const ENTRY_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;

/** Why an access entry's principal cannot exist, or undefined. Reads the value (an unknown one stops the rule in preview). */
export function accessEntryPrincipalProblem(principal: unknown): string | undefined {
    if (typeof principal !== "string" || principal.trim() === "") {
        return `principal ${show(principal)} is not an IAM role or user ARN`;
    }
    if (/^arn:[^:]+:sts::\d{12}:assumed-role\//.test(principal)) {
        return `${principal} is an STS session, which EKS refuses in access entries; use the role's IAM ARN (arn:aws:iam::<account>:role/<name>)`;
    }
    if (!ENTRY_PRINCIPAL.test(principal)) {
        return `${principal} is not an IAM role or user ARN (arn:aws:iam::<12-digit account>:role/<name> or :user/<name>)`;
    }
    return documentationPrincipal(principal);
}

export const eksAccessEntryPrincipal = resourceRule({
    name: "eks-access-entry-principal",
    description: "EKS access entries name an IAM role or user that can exist: a well-formed ARN, never an AWS documentation account.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        "Use the IAM ARN of an existing role or user of your organisation (aws iam list-roles --query 'Roles[].Arn'); leave platform.eks.adminRoleArns / viewRoleArns as { needsInput: ... } until you know it. Never list the role that runs pulumi up: EKS already made it cluster admin.",
    meta: {
        area: "deployability",
        rationale:
            "EKS creates an access entry only for an existing IAM principal (Amazon EKS User Guide, \"Create access entries\": " +
            "\"An access entry includes the ARN of one, and only one, existing IAM principal\"; the CreateAccessEntry API reference: " +
            "STS session principals are refused), so a placeholder such as arn:aws:iam::123456789012:role/admin fails the first pulumi up. " +
            "The pack cannot see who deploys, so the other failure, listing the deploying role that EKS already made admin as the " +
            "cluster's creator (ResourceInUseException), is refused by the program at pulumi up (components/preflight.ts).",
        equivalents: {},
    },
    validateResource: [
        ofType(EKS_ACCESS_ENTRY, (props, args, report) => {
            const why = accessEntryPrincipalProblem(get(props, "principalArn"));
            if (why) {
                report(`${subject(args)} principalArn: ${why}. Fix: name an existing IAM role or user of a real account.`);
            }
        }),
        ofType(EKS_COMPONENT, (props, args, report) => {
            const entries = get(props, "accessEntries");
            if (!isRecord(entries)) {
                return;
            }
            for (const [key, entry] of Object.entries(entries)) {
                const why = accessEntryPrincipalProblem(get(entry, "principalArn"));
                if (why) {
                    report(`${subject(args)} accessEntries.${key}.principalArn: ${why}. Fix: name an existing IAM role or user of a real account.`);
                }
            }
        }),
    ],
});

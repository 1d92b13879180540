import { ofType, resourceRule, subject } from "../../lib/rule";
import { asArray, bool, get, present, show } from "../../lib/values";

export const ecrKmsEncryption = resourceRule({
    name: "ecr-kms-encryption",
    description: "ECR repositories are encrypted with KMS (by default with a customer-managed key).",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: 'Set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <key>.arn }].',
    configSchema: {
        properties: {
            requireCustomerManagedKey: { type: "boolean", default: true, description: "Also require kmsKey (a customer-managed key), not the AWS-managed one." },
        },
    },
    meta: {
        area: "registry",
        rationale: "A customer-managed key puts image access under the account's own key policy and CloudTrail.",
        equivalents: {
            checkov: ["CKV_AWS_136"],
            compliancePolicies: ["aws-ecr-repository-disallow-unencrypted-repository", "aws-ecr-repository-configure-customer-managed-key"],
        },
    },
    validateResource: ofType("aws:ecr/repository:Repository", (props, args, report) => {
        const cfgs = asArray(get(props, "encryptionConfigurations"));
        const cmk = bool(args.getConfig<{ requireCustomerManagedKey?: unknown }>().requireCustomerManagedKey) !== false;
        if (cfgs.length === 0) {
            report(`${subject(args)} has no encryptionConfigurations (AES256 default). Fix: set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: <key>.arn }].`);
            return;
        }
        cfgs.forEach((c, i) => {
            const type = get(c, "encryptionType");
            if (type !== "KMS" && type !== "KMS_DSSE") {
                report(`${subject(args)} encryptionConfigurations[${i}].encryptionType = ${show(type ?? "(default AES256)")}. Fix: set encryptionType: "KMS".`);
            } else if (cmk && !present(c, "kmsKey")) {
                report(`${subject(args)} encryptionConfigurations[${i}].kmsKey = ${show(get(c, "kmsKey") ?? null)} (AWS-managed key). Fix: set kmsKey to a customer-managed key ARN.`);
            }
        });
    }),
});

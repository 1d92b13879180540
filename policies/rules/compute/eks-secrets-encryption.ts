import { EKS_CLUSTER, EKS_COMPONENT, eksSettings } from "../../lib/eks";
import { ofTypes, resourceRule, subject } from "../../lib/rule";

export const eksSecretsEncryption = resourceRule({
    name: "eks-secrets-encryption",
    description: "EKS clusters encrypt Kubernetes secrets with a KMS key.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: 'aws.eks.Cluster: encryptionConfig: { provider: { keyArn: <key>.arn }, resources: ["secrets"] }; eks.Cluster: encryptionConfigKeyArn: <key>.arn.',
    meta: {
        area: "compute",
        rationale: "Envelope encryption keeps secrets unreadable from etcd backups and snapshots.",
        equivalents: {

            checkov: ["CKV_AWS_58"],
            compliancePolicies: ["aws-eks-cluster-enable-cluster-encryption-config"],
        },
    },
    validateResource: ofTypes([EKS_CLUSTER, EKS_COMPONENT], (props, args, report) => {
        const s = eksSettings(args.type, props);
        if (!s.encryptsSecrets) {
            report(`${subject(args)} ${s.paths.encryption} does not encrypt secrets with a KMS key. Fix: ${args.type === EKS_COMPONENT ? "set encryptionConfigKeyArn to a KMS key ARN" : 'set encryptionConfig: { provider: { keyArn }, resources: ["secrets"] }'}.`);
        }
    }),
});

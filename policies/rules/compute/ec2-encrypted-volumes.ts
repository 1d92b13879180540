import { ofTypes, resourceRule, subject } from "../../lib/rule";
import { asArray, bool, get, show } from "../../lib/values";

/**
 * Host volumes of ECS-on-EC2 and EKS nodes hold image layers, container
 * scratch space and logs: every EBS volume a launch template, instance or
 * launch configuration declares is encrypted, and a launch template declares
 * its volumes (otherwise the AMI's unencrypted defaults apply unless the
 * account enables EBS encryption by default).
 */
export const ec2EncryptedVolumes = resourceRule({
    name: "ec2-encrypted-volumes",
    description: "EBS volumes of EC2 hosts (launch templates, instances, launch configurations, volumes) are encrypted.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps:
        'Declare the root volume in blockDeviceMappings with ebs: { encrypted: "true", volumeType: "gp3" } (a KMS key is optional), ' +
        "or rootBlockDevice: { encrypted: true } on instances and launch configurations.",
    meta: {
        area: "compute",
        rationale: "Unencrypted host volumes expose image layers, secrets materialised into containers and logs in snapshots and detached volumes.",
        equivalents: { cdkNag: ["AwsSolutions-EC26", "AwsSolutions-AS3"], checkov: ["CKV_AWS_3", "CKV_AWS_8"] },
    },
    validateResource: ofTypes(
        [
            "aws:ec2/launchTemplate:LaunchTemplate",
            "aws:ec2/instance:Instance",
            "aws:ec2/launchConfiguration:LaunchConfiguration",
            "aws:ebs/volume:Volume",
        ],
        (props, args, report) => {
            const unencrypted = (where: string, value: unknown) =>
                report(`${subject(args)} ${where} = ${value === undefined ? "(unset)" : show(value)} leaves the volume unencrypted. Fix: set it to true.`);
            if (args.type === "aws:ebs/volume:Volume") {
                if (bool(get(props, "encrypted")) !== true) {
                    unencrypted("encrypted", get(props, "encrypted"));
                }
                return;
            }
            if (args.type === "aws:ec2/launchTemplate:LaunchTemplate") {
                const mappings = asArray(get(props, "blockDeviceMappings"));
                if (mappings.length === 0) {
                    report(
                        `${subject(args)} declares no blockDeviceMappings, so the AMI's unencrypted volume defaults apply. ` +
                        'Fix: declare the root volume with ebs: { encrypted: "true" }.',
                    );
                }
                mappings.forEach((m, i) => {
                    const ebs = get(m, "ebs");
                    if (ebs !== undefined && bool(get(ebs, "encrypted")) !== true) {
                        unencrypted(`blockDeviceMappings[${i}].ebs.encrypted`, get(ebs, "encrypted"));
                    }
                });
                return;
            }
            const root = get(props, "rootBlockDevice");
            if (root !== undefined && bool(get(root, "encrypted")) !== true) {
                unencrypted("rootBlockDevice.encrypted", get(root, "encrypted"));
            }
            asArray(get(props, "ebsBlockDevices")).forEach((d, i) => {
                if (bool(get(d, "encrypted")) !== true) {
                    unencrypted(`ebsBlockDevices[${i}].encrypted`, get(d, "encrypted"));
                }
            });
        },
    ),
});

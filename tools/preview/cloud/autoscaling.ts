/**
 * EC2 Auto Scaling and Application Auto Scaling in the fake cloud.
 *
 * Sources:
 * - Group ARN `arn:aws:autoscaling:<region>:<account>:autoScalingGroup:<uuid>:autoScalingGroupName/<name>`
 *   and scaling policy ARN `…:scalingPolicy:<uuid>:resource/<resource id>:policyName/<name>`
 *   (Service Authorization Reference, "Amazon EC2 Auto Scaling resource
 *   types" and "Application Auto Scaling resource types").
 * - Defaults `defaultCooldown` 300 and `healthCheckGracePeriod` 300
 *   (CreateAutoScalingGroup); desired capacity defaults to the minimum.
 * - Service-linked roles `AWSServiceRoleForAutoScaling` and
 *   `AWSServiceRoleForApplicationAutoScaling_ECSService` (their user guides,
 *   "Service-linked roles").
 * - Ids: the group name; the scalable target's resource id; the provider's
 *   `<group>-<hash>` for an attachment (internal/service/autoscaling/attachment.go).
 */
import { arn, Handler, ServiceModel, str, uuid } from "./common";

const resources: Record<string, Handler> = {
    "aws:autoscaling/group:Group": c => {
        const name = c.autoname();
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "autoscaling", `autoScalingGroup:${uuid(c.hex(32, "asg"))}:autoScalingGroupName/${name}`),
                availabilityZones: [],
                desiredCapacity: typeof c.inputs.minSize === "number" ? c.inputs.minSize : 0,
                defaultCooldown: 300,
                healthCheckGracePeriod: 300,
                serviceLinkedRoleArn: `arn:${c.partition}:iam::${c.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
            },
        };
    },
    "aws:autoscaling/attachment:Attachment": c => ({ id: `${str(c.inputs.autoscalingGroupName) ?? "asg"}-${c.hex(20)}` }),
    "aws:appautoscaling/target:Target": c => ({
        id: str(c.inputs.resourceId) ?? c.name,
        computed: {
            arn: arn(c, "application-autoscaling", `scalable-target/${c.hex(36)}`),
            roleArn: `arn:${c.partition}:iam::${c.account}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`,
        },
    }),
    "aws:appautoscaling/policy:Policy": c => {
        const name = c.autoname();
        return {
            id: name,
            checked: { name },
            computed: {
                arn: arn(c, "autoscaling", `scalingPolicy:${uuid(c.hex(32))}:resource/${str(c.inputs.resourceId) ?? ""}:policyName/${name}`),
                alarmArns: [],
            },
        };
    },
};

export const AUTOSCALING: ServiceModel = { resources };

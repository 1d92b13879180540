/**
 * Amazon EventBridge in the fake cloud: rules and targets.
 *
 * Sources (@pulumi/aws 7.48.0, its generated reference in
 * node_modules/@pulumi/aws/cloudwatch/*.d.ts):
 * - `aws.cloudwatch.EventRule`: imported "using the `event_bus_name/rule_name`
 *   (if you omit `eventBusName`, the `default` event bus will be used)", so id
 *   = the rule's name on the default bus, `<bus>/<name>` on another; ARN
 *   `arn:aws:events:<region>:<account>:rule/<name>` on the default bus,
 *   `rule/<bus>/<name>` on another (EventBridge, "Amazon EventBridge resource
 *   types": rule-on-default-event-bus, rule-on-custom-event-bus); names at
 *   most 64 characters (PutRule `Name`).
 * - `aws.cloudwatch.EventTarget`: imported "using
 *   `event_bus_name/rule-name/target-id`" with the same default, so id =
 *   `<rule>/<target id>` on the default bus.
 */
import { arn, Handler, ServiceModel, str } from "./common";

const resources: Record<string, Handler> = {
    "aws:cloudwatch/eventRule:EventRule": c => {
        const name = c.autoname("name", { maxLength: 64 });
        const bus = str(c.inputs.eventBusName);
        const onDefault = bus === undefined || bus === "default";
        return {
            id: onDefault ? name : `${bus}/${name}`,
            checked: { name },
            computed: { arn: arn(c, "events", onDefault ? `rule/${name}` : `rule/${bus}/${name}`) },
        };
    },
    "aws:cloudwatch/eventTarget:EventTarget": c => {
        const targetId = str(c.inputs.targetId) ?? c.autoname("targetId", { maxLength: 64 });
        const bus = str(c.inputs.eventBusName);
        const rule = str(c.inputs.rule) ?? c.name;
        return { id: bus === undefined || bus === "default" ? `${rule}/${targetId}` : `${bus}/${rule}/${targetId}`, checked: { targetId } };
    },
};

export const EVENTS: ServiceModel = { resources };

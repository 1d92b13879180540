/**
 * Amazon SNS in the fake cloud: topics, topic policies, subscriptions.
 *
 * Sources:
 * - Topic ARN `arn:aws:sns:<region>:<account>:<name>` (the provider's id);
 *   FIFO topic names end in `.fifo`, at most 256 characters (SNS API
 *   reference, CreateTopic).
 * - Subscription ARN `<topic arn>:<uuid>` (SNS API reference, Subscribe).
 */
import { arn, Handler, ServiceModel, str, uuid } from "./common";

const resources: Record<string, Handler> = {
    "aws:sns/topic:Topic": c => {
        const fifo = c.inputs.fifoTopic === true;
        let name = c.autoname("name", { maxLength: fifo ? 251 : 256 });
        if (fifo && !name.endsWith(".fifo")) name += ".fifo";
        const a = arn(c, "sns", name);
        return { id: a, checked: { name }, computed: { arn: a, owner: c.account, beginningArchiveTime: "" } };
    },
    "aws:sns/topicPolicy:TopicPolicy": c => ({ id: str(c.inputs.arn) ?? arn(c, "sns", c.name), computed: { owner: c.account } }),
    "aws:sns/topicSubscription:TopicSubscription": c => {
        const a = `${str(c.inputs.topic) ?? arn(c, "sns", "topic")}:${uuid(c.hex(32))}`;
        return { id: a, computed: { arn: a, ownerId: c.account } };
    },
};

export const SNS: ServiceModel = { resources };

import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { create } from "./helpers";

/** KMS, CloudWatch Logs, SNS and SQS: ids and ARNs as their APIs document them. */
describe("fake cloud: KMS, logs, SNS, SQS (tools/preview/cloud/{kms,logs,sns,sqs}.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("KMS: a UUID key id in the key ARN; an alias targets the key's ARN", () => {
        const key = create(cloud, "aws:kms/key:Key", "k");
        assert.match(String(key.id), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
        assert.equal(key.computed.arn, `arn:aws:kms:eu-central-1:${ACCOUNT_ID}:key/${key.id}`);
        assert.equal(create(cloud, "aws:kms/alias:Alias", "a", { name: "alias/x", targetKeyId: key.id }).computed.targetKeyArn, key.computed.arn);
    });

    it("logs: the log group ARN without the trailing :*", () => {
        assert.equal(create(cloud, "aws:cloudwatch/logGroup:LogGroup", "g", { name: "/ecs/orders" }).computed.arn, `arn:aws:logs:eu-central-1:${ACCOUNT_ID}:log-group:/ecs/orders`);
    });

    it("SNS: topic ARN as id, FIFO names end in .fifo, subscriptions under their topic", () => {
        const topic = create(cloud, "aws:sns/topic:Topic", "t", { name: "events" });
        assert.equal(topic.id, `arn:aws:sns:eu-central-1:${ACCOUNT_ID}:events`);
        assert.match(String(create(cloud, "aws:sns/topic:Topic", "f", { fifoTopic: true }).checked.name), /\.fifo$/);
        assert.match(String(create(cloud, "aws:sns/topicSubscription:TopicSubscription", "s", { topic: topic.id }).id), new RegExp(`^${String(topic.id)}:[0-9a-f-]{36}$`));
    });

    it("SQS: the queue URL as id", () => {
        const q = create(cloud, "aws:sqs/queue:Queue", "q", { name: "dlq" });
        assert.equal(q.id, `https://sqs.eu-central-1.amazonaws.com/${ACCOUNT_ID}/dlq`);
        assert.equal(q.computed.arn, `arn:aws:sqs:eu-central-1:${ACCOUNT_ID}:dlq`);
    });
});

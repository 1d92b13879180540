// The subscription handler: decides every connection to the stack's endpoint
// services that have subscribers, when a request arrives rather than at the
// next `pulumi up` (docs/saas.md).
//
// - Invoked by SNS with the endpoint services' connection notifications
//   (Connect, Accept, Reject, Delete); any other invocation (no SNS records,
//   e.g. `aws lambda invoke` after removing a subscriber) reviews every
//   service it decides for. The SNS event shape is
//   the Lambda Developer Guide's "Using Lambda with Amazon SNS" (Records[].Sns
//   with TopicArn, Message, MessageAttributes); the handler reads only which
//   topic, hence which endpoint service, the notification came from.
// - It then reads the service's connections as they are now
//   (DescribeVpcEndpointConnections: VpcEndpointId, VpcEndpointOwner,
//   VpcEndpointState; EC2 API Reference) and decides each with the decision
//   table (table.json, generated from the catalog) through decide() in
//   subscriptions.js, the function the plan and the policy pack use. Deciding
//   from the current state, not from the message, makes a duplicate or a late
//   notification harmless: a connection already accepted is not accepted
//   again, and one already rejected is left alone.
// - Accepts and rejects with AcceptVpcEndpointConnections and
//   RejectVpcEndpointConnections (AWS PrivateLink Guide, "Accept or reject
//   connection requests"); rejecting an available connection revokes it.
// - Writes every decision as one JSON line to its log group (the audit log:
//   encrypted, retained) and publishes each acceptance, rejection and hold to
//   the service's notification topic with the subscriber's name, marked with
//   the message attribute `origin` so that its own subscription ignores it.
//
// No dependencies: the Lambda Node.js 18+ runtimes include the AWS SDK for
// JavaScript v3 (Lambda Developer Guide, "Building Lambda functions with
// Node.js": runtime-included SDK versions).
"use strict";

const { decide } = require("./subscriptions");

/** The message attribute the handler marks its own publications with. */
const ORIGIN = "subscription-handler";

/**
 * A handler over its dependencies, so tests run it against a recorded
 * stream and a fake EC2: `ec2.describe(serviceId)` → connections,
 * `ec2.accept(serviceId, ids)`, `ec2.reject(serviceId, ids)`,
 * `publish(topicArn, subject, message)`, `audit(record)`, `now()`.
 * `config.services`: service name → {serviceId, topicArn}; `config.tables`:
 * service name → decision table; `config.stackAccounts`: accounts whose
 * connections the stack accepts itself.
 */
function createHandler(config, deps) {
    const byTopic = new Map(Object.entries(config.services).map(([service, s]) => [s.topicArn, service]));

    async function reconcile(service, trigger) {
        const { serviceId, topicArn } = config.services[service];
        const table = config.tables[service];
        const decisions = [];
        for (const c of await deps.ec2.describe(serviceId)) {
            const connection = { owner: c.VpcEndpointOwner, state: c.VpcEndpointState, endpointId: c.VpcEndpointId };
            const d = decide(table, connection, deps.now(), config.stackAccounts);
            const record = { at: deps.now().toISOString(), trigger, service, serviceId, endpointId: connection.endpointId, owner: connection.owner, state: connection.state, ...d };
            if (d.action === "accept") await deps.ec2.accept(serviceId, [connection.endpointId]);
            if (d.action === "reject") await deps.ec2.reject(serviceId, [connection.endpointId]);
            deps.audit(record);
            // A hold is announced when a notification arrives, not on every review.
            if (d.action === "accept" || d.action === "reject" || (d.action === "hold" && trigger === "notification")) {
                const who = d.subscriber || `account ${connection.owner}`;
                const verb = d.action === "reject" && connection.state === "available" ? "revoked" : { accept: "accepted", reject: "rejected", hold: "held" }[d.action];
                await deps.publish(topicArn, `PrivateLink ${service}: ${verb} ${who}`.slice(0, 99), JSON.stringify(record));
            }
            decisions.push(record);
        }
        return decisions;
    }

    return async function handler(event) {
        const records = Array.isArray(event && event.Records) ? event.Records : [];
        const services = new Set();
        for (const r of records) {
            const sns = r && r.Sns;
            if (!sns) continue;
            const attrs = sns.MessageAttributes || {};
            if (attrs.origin && attrs.origin.Value === ORIGIN) continue; // our own publication
            const service = byTopic.get(sns.TopicArn);
            if (service) services.add(service);
        }
        // A review (no SNS records) covers every service: expiry dates pass without a notification.
        const trigger = records.length > 0 ? "notification" : "review";
        const targets = trigger === "review" ? Object.keys(config.services) : [...services];
        const decisions = [];
        for (const service of targets.sort()) decisions.push(...(await reconcile(service, trigger)));
        return { decisions: decisions.length };
    };
}

/** The AWS side: the SDK v3 clients of the runtime, in the function's region. */
function awsDeps() {
    const ec2sdk = require("@aws-sdk/client-ec2");
    const snssdk = require("@aws-sdk/client-sns");
    const ec2 = new ec2sdk.EC2Client({});
    const sns = new snssdk.SNSClient({});
    return {
        ec2: {
            async describe(serviceId) {
                const out = [];
                let NextToken;
                do {
                    const page = await ec2.send(new ec2sdk.DescribeVpcEndpointConnectionsCommand({ Filters: [{ Name: "service-id", Values: [serviceId] }], NextToken }));
                    out.push(...(page.VpcEndpointConnections || []));
                    NextToken = page.NextToken;
                } while (NextToken);
                return out;
            },
            accept: (serviceId, ids) => ec2.send(new ec2sdk.AcceptVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: ids })),
            reject: (serviceId, ids) => ec2.send(new ec2sdk.RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: ids })),
        },
        publish: (topicArn, subject, message) => sns.send(new snssdk.PublishCommand({
            TopicArn: topicArn,
            Subject: subject,
            Message: message,
            MessageAttributes: { origin: { DataType: "String", StringValue: ORIGIN } },
        })),
        // One JSON line per decision: the function's log group is the audit log.
        audit: (record) => console.log(JSON.stringify({ audit: "privatelink-subscription", ...record })),
        now: () => new Date(),
    };
}

let live;

/** The Lambda entry point: config from table.json and the environment. */
async function handler(event) {
    if (!live) {
        const tables = require("./table.json");
        live = createHandler({
            tables,
            services: JSON.parse(process.env.ENDPOINT_SERVICES || "{}"),
            stackAccounts: JSON.parse(process.env.STACK_ACCOUNTS || "[]"),
        }, awsDeps());
    }
    return live(event);
}

module.exports = { handler, createHandler, ORIGIN };

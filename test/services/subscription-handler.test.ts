import * as assert from "assert";
import { decisionTable, DecisionTable } from "../../policies/lib/subscriptions";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createHandler, ORIGIN } = require("../../services/subscription-handler/index.js") as {
    createHandler: (config: unknown, deps: unknown) => (event: unknown) => Promise<{ decisions: number }>;
    ORIGIN: string;
};

const ACME = "210000000017";
const FORMER = "310000000029";
const STRANGER = "410000000031";
const OWN = "510000000043";
const SERVICE_ID = "vpce-svc-0a1b2c3d4e5f60718";
const TOPIC = `arn:aws:sns:us-east-1:${OWN}:payments-endpoint-events-1a2b3c4`;

interface Conn { VpcEndpointId: string; VpcEndpointOwner: string; VpcEndpointState: string }

/**
 * EC2 as the PrivateLink guide describes a service that requires acceptance:
 * a new endpoint is pendingAcceptance; accepting makes it available; rejecting
 * a pending or available one makes it rejected; AcceptVpcEndpointConnections
 * on anything but a pending connection fails for that endpoint (reported in
 * Unsuccessful, not thrown).
 */
class FakeEc2 {
    readonly connections = new Map<string, Conn>();
    readonly calls: string[] = [];
    connect(id: string, owner: string): void {
        this.connections.set(id, { VpcEndpointId: id, VpcEndpointOwner: owner, VpcEndpointState: "pendingAcceptance" });
    }
    async describe(serviceId: string): Promise<Conn[]> {
        assert.strictEqual(serviceId, SERVICE_ID);
        return [...this.connections.values()].map(c => ({ ...c }));
    }
    async accept(_: string, ids: string[]): Promise<unknown> {
        this.calls.push(`accept ${ids.join(",")}`);
        const unsuccessful = [];
        for (const id of ids) {
            const c = this.connections.get(id)!;
            if (c.VpcEndpointState === "pendingAcceptance") c.VpcEndpointState = "available";
            else unsuccessful.push({ ResourceId: id, Error: { Code: "InvalidState" } });
        }
        return { Unsuccessful: unsuccessful };
    }
    async reject(_: string, ids: string[]): Promise<unknown> {
        this.calls.push(`reject ${ids.join(",")}`);
        for (const id of ids) this.connections.get(id)!.VpcEndpointState = "rejected";
        return { Unsuccessful: [] };
    }
}

/** A notification as Lambda receives it from SNS (Lambda Developer Guide, "Using Lambda with Amazon SNS", example event). */
function notification(event: string, endpointId: string, attributes: Record<string, unknown> = {}): unknown {
    return {
        Records: [{
            EventSource: "aws:sns",
            EventVersion: "1.0",
            Sns: {
                Type: "Notification",
                TopicArn: TOPIC,
                Subject: null,
                Message: JSON.stringify({ event, serviceId: SERVICE_ID, vpcEndpointId: endpointId }),
                MessageAttributes: attributes,
            },
        }],
    };
}

function world(table: DecisionTable, now = new Date("2026-12-07T12:00:00Z")) {
    const ec2 = new FakeEc2();
    const audit: Record<string, unknown>[] = [];
    const published: { subject: string; message: Record<string, unknown> }[] = [];
    const clock = { now };
    const config = { tables: { payments: table }, services: { payments: { serviceId: SERVICE_ID, topicArn: TOPIC } }, stackAccounts: [OWN] };
    const deps = {
        ec2,
        audit: (r: Record<string, unknown>) => audit.push(r),
        publish: async (topic: string, subject: string, message: string) => {
            assert.strictEqual(topic, TOPIC);
            published.push({ subject, message: JSON.parse(message) as Record<string, unknown> });
        },
        now: () => clock.now,
    };
    return { ec2, audit, published, clock, config, handler: createHandler(config, deps) };
}

const CATALOG = {
    name: "payments",
    subscribers: [
        { name: "acme", account: ACME, contact: "ops@acme.example" },
        { name: "former-auditor", account: FORMER, contact: "audit@former.example", expires: "2026-06-30" },
    ],
};

describe("subscription handler on a recorded notification stream", () => {
    it("accepts a listed subscriber once, even when the notification comes twice", async () => {
        const w = world(decisionTable(CATALOG));
        w.ec2.connect("vpce-0acme", ACME);
        await w.handler(notification("Connect", "vpce-0acme"));
        await w.handler(notification("Connect", "vpce-0acme"));
        await w.handler(notification("Accept", "vpce-0acme"));
        assert.deepStrictEqual(w.ec2.calls, ["accept vpce-0acme"]);
        assert.strictEqual(w.ec2.connections.get("vpce-0acme")!.VpcEndpointState, "available");
        assert.deepStrictEqual(w.published.map(p => p.subject), ["PrivateLink payments: accepted acme"]);
        assert.deepStrictEqual(w.audit.map(a => a.action), ["accept", "none", "none"]);
        assert.strictEqual(w.published[0].message.subscriber, "acme");
    });

    it("tolerates notifications out of order: an Accept before the Connect decides the same", async () => {
        const w = world(decisionTable(CATALOG));
        w.ec2.connect("vpce-0acme", ACME);
        await w.handler(notification("Accept", "vpce-0acme"));
        await w.handler(notification("Connect", "vpce-0acme"));
        assert.deepStrictEqual(w.ec2.calls, ["accept vpce-0acme"]);
    });

    it("rejects an unknown account, or holds it with an alert under unknownSubscribers: hold", async () => {
        const w = world(decisionTable(CATALOG));
        w.ec2.connect("vpce-0stranger", STRANGER);
        await w.handler(notification("Connect", "vpce-0stranger"));
        assert.deepStrictEqual(w.ec2.calls, ["reject vpce-0stranger"]);
        assert.deepStrictEqual(w.published.map(p => p.subject), [`PrivateLink payments: rejected account ${STRANGER}`]);

        const h = world(decisionTable({ ...CATALOG, unknownSubscribers: "hold" }));
        h.ec2.connect("vpce-0stranger", STRANGER);
        await h.handler(notification("Connect", "vpce-0stranger"));
        await h.handler({}); // a review does not alert again
        assert.deepStrictEqual(h.ec2.calls, []);
        assert.strictEqual(h.ec2.connections.get("vpce-0stranger")!.VpcEndpointState, "pendingAcceptance");
        assert.deepStrictEqual(h.published.map(p => p.subject), [`PrivateLink payments: held account ${STRANGER}`]);
        assert.deepStrictEqual(h.audit.map(a => a.action), ["hold", "hold"]);
    });

    it("rejects an expired subscriber's request, naming it", async () => {
        const w = world(decisionTable(CATALOG));
        w.ec2.connect("vpce-0former", FORMER);
        await w.handler(notification("Connect", "vpce-0former"));
        assert.deepStrictEqual(w.ec2.calls, ["reject vpce-0former"]);
        assert.match(String(w.published[0].message.reason), /former-auditor's subscription to payments expired after 2026-06-30/);
    });

    it("revokes a removed subscriber's connection, and one whose expiry passes, at its next run", async () => {
        const w = world(decisionTable({ ...CATALOG, subscribers: [...CATALOG.subscribers, { name: "beta", account: STRANGER, contact: "b@beta.example", expires: "2026-12-31" }] }));
        w.ec2.connect("vpce-0acme", ACME);
        w.ec2.connect("vpce-0beta", STRANGER);
        await w.handler(notification("Connect", "vpce-0acme"));
        assert.deepStrictEqual(w.ec2.calls, ["accept vpce-0acme", "accept vpce-0beta"]);

        // The catalog drops acme (the next `up` ships a new table); the next review revokes it.
        w.config.tables.payments = decisionTable({ ...CATALOG, subscribers: [CATALOG.subscribers[1], { name: "beta", account: STRANGER, contact: "b@beta.example", expires: "2026-12-31" }] });
        await w.handler({});
        assert.deepStrictEqual(w.ec2.calls.slice(2), ["reject vpce-0acme"]);
        assert.strictEqual(w.published.at(-1)!.subject, `PrivateLink payments: revoked account ${ACME}`);

        // beta's last day passes: the first run after midnight UTC (a notification of the service, or a review) revokes it.
        w.clock.now = new Date("2027-01-01T00:05:00Z");
        await w.handler({});
        assert.deepStrictEqual(w.ec2.calls.slice(3), ["reject vpce-0beta"]);
        assert.strictEqual(w.published.at(-1)!.subject, "PrivateLink payments: revoked beta");
    });

    it("leaves the stack's own consumers to the stack, and ignores its own publications", async () => {
        const w = world(decisionTable(CATALOG));
        w.ec2.connect("vpce-0own", OWN);
        await w.handler(notification("Connect", "vpce-0own", { origin: { Type: "String", Value: ORIGIN } }));
        assert.strictEqual(w.audit.length, 0);
        await w.handler(notification("Connect", "vpce-0own"));
        assert.deepStrictEqual(w.ec2.calls, []);
        assert.deepStrictEqual(w.audit.map(a => a.action), ["none"]);
    });
});

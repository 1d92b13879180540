import * as assert from "assert";
import { findProblems, RawCatalog, validateCatalog } from "../../components/catalog";
import { isExpired, lapsesAt, planDate, PLAN_DATE_ENV, subscriberPrincipals } from "../../policies/lib/subscriptions";
import { catalogConfig, fargate, Graph, plan } from "../helpers";

/** Accounts of nobody in particular, and not AWS documentation ids. */
const PARTNER = "210000000017";
const FORMER = "310000000029";

function problems(raw: RawCatalog): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of findProblems(raw).problems) out[p.path] = out[p.path] === undefined ? p.message : `${out[p.path]} | ${p.message}`;
    return out;
}
const sub = (extra: Record<string, unknown>) => ({ name: "acme", contact: "ops@acme.example", ...extra });

describe("catalog: subscribers", () => {
    it("refuses a wildcard, a documentation account, a bad date, and names the path", () => {
        const got = problems({
            services: [fargate("orders", {
                subscribers: [
                    sub({ name: "any", account: "*" }),
                    sub({ name: "star", principal: "*" }),
                    sub({ name: "docs", account: "123456789012" }),
                    sub({ name: "docs-role", principal: "arn:aws:iam::111122223333:role/reader" }),
                    sub({ name: "late", account: PARTNER, expires: "2027-02-30" }),
                ],
            })],
        });
        assert.match(got["services[0].subscribers[0].account"], /not an AWS account id.*wildcard/);
        assert.match(got["services[0].subscribers[1].principal"], /not an IAM principal ARN/);
        assert.match(got["services[0].subscribers[2].account"], /123456789012 is an AWS documentation example id/);
        assert.match(got["services[0].subscribers[3].principal"], /111122223333 is an AWS documentation example id/);
        assert.match(got["services[0].subscribers[4].expires"], /"2027-02-30" is not a date.*YYYY-MM-DD/);
    });

    it("needs exactly one of account and principal, one entry per account and per name", () => {
        const got = problems({
            services: [fargate("orders", {
                subscribers: [
                    sub({ name: "none" }),
                    sub({ name: "both", account: PARTNER, principal: `arn:aws:iam::${FORMER}:role/r` }),
                    sub({ name: "a", account: FORMER }),
                    sub({ name: "a", principal: `arn:aws:iam::${FORMER}:role/reader` }),
                ],
                unknownSubscribers: "ignore",
            })],
        });
        assert.match(got["services[0].subscribers[0]"], /needs account .* or principal/);
        assert.match(got["services[0].subscribers[1]"], /gives both account and principal/);
        assert.match(got["services[0].subscribers[3]"], /account 310000000029 already has subscribers\[2\]/);
        assert.match(got["services[0].subscribers[3].name"], /"a" is listed twice/);
        assert.match(got["services[0].unknownSubscribers"], /use reject or hold/);
    });

    it("takes { needsInput } for a subscriber's account, and lists it", () => {
        const catalog = validateCatalog({ services: [fargate("orders", { subscribers: [sub({ account: { needsInput: "acme's account" } })] })] }, { stack: "dev" });
        assert.deepStrictEqual(catalog.needsInput.map(n => n.path), ["services[0].subscribers[0].account"]);
        assert.deepStrictEqual(catalog.services[0].subscribers, [{ name: "acme", contact: "ops@acme.example" }]);
        assert.strictEqual(catalog.services[0].unknownSubscribers, "reject");
    });
});

describe("subscribers: expiry and principals", () => {
    const service = {
        name: "orders",
        subscribers: [
            { name: "acme", account: PARTNER, contact: "ops@acme.example" },
            { name: "former", principal: `arn:aws:iam::${FORMER}:role/reader`, contact: "ops@former.example", expires: "2026-06-30" },
        ],
    };

    it("admits a subscriber through its expiry day (UTC) and not from the next midnight", () => {
        assert.strictEqual(lapsesAt("2026-06-30")?.toISOString(), "2026-07-01T00:00:00.000Z");
        assert.strictEqual(isExpired({ expires: "2026-06-30" }, new Date("2026-06-30T23:59:59Z")), false);
        assert.strictEqual(isExpired({ expires: "2026-06-30" }, new Date("2026-07-01T00:00:00Z")), true);
        assert.strictEqual(isExpired({}, new Date("2999-01-01T00:00:00Z")), false);
    });

    it("derives the principals of the unexpired subscribers only, in the stack's partition", () => {
        assert.deepStrictEqual(subscriberPrincipals(service, new Date("2026-06-30T12:00:00Z"), "aws"), [`arn:aws:iam::${PARTNER}:root`, `arn:aws:iam::${FORMER}:role/reader`]);
        assert.deepStrictEqual(subscriberPrincipals(service, new Date("2026-07-01T00:00:00Z"), "aws-cn"), [`arn:aws-cn:iam::${PARTNER}:root`]);
    });

    it("judges expiry at the plan's date, which PRIVATELINK_PLAN_DATE overrides", () => {
        assert.strictEqual(planDate({ [PLAN_DATE_ENV]: "2026-07-01" }).toISOString(), "2026-07-01T00:00:00.000Z");
        assert.ok(Math.abs(planDate({}).getTime() - Date.now()) < 60_000);
    });

    it("admits an unexpired subscriber on the endpoint service, not an expired one, besides allowedPrincipals", async function () {
        this.timeout(120_000);
        const old = `arn:aws:iam::${PARTNER}:role/settlements`;
        const g = new Graph(await plan(catalogConfig([fargate("web", { consumes: ["orders"] }), fargate("orders", { ...service, allowedPrincipals: [old] })]), "preview"));
        const svc = g.one("aws:ec2/vpcEndpointService:VpcEndpointService", "orders-endpoint-service");
        const admitted = svc.inputs.allowedPrincipals as string[];
        assert.ok(admitted.includes(`arn:aws:iam::${PARTNER}:root`), String(admitted));
        assert.ok(admitted.includes(old));
        assert.ok(!admitted.some(p => p.includes(FORMER)), String(admitted));
        assert.deepStrictEqual(g.result.violations.filter(v => v.enforcementLevel === "mandatory"), []);
    });
});

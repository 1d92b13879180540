import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { call, create } from "./helpers";

describe("fake cloud: IAM (tools/preview/cloud/iam.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("auto-names like Pulumi when no name is given, and keeps a given one", () => {
        assert.match(String(create(cloud, "aws:iam/role:Role", "svc-role").checked.name), /^svc-role-[0-9a-f]{7}$/);
        const role = create(cloud, "aws:iam/role:Role", "r", { name: "fixed", path: "/platform/" });
        assert.equal(role.checked.name, "fixed");
        assert.equal(role.computed.arn, `arn:aws:iam::${ACCOUNT_ID}:role/platform/fixed`);
        assert.match(String(role.computed.uniqueId), /^AROA[A-Z0-9]{17}$/);
    });

    it("renders a policy document as the provider does: one-element lists as strings", () => {
        const doc = call(cloud, "aws:iam/getPolicyDocument:getPolicyDocument", {
            statements: [{ actions: ["sns:Publish"], principals: [{ type: "Service", identifiers: ["vpce.amazonaws.com"] }], resources: ["*"] }],
        });
        assert.deepEqual(JSON.parse(String(doc.json)).Statement, [{ Effect: "Allow", Action: "sns:Publish", Resource: "*", Principal: { Service: "vpce.amazonaws.com" } }]);
        const star = call(cloud, "aws:iam/getPolicyDocument:getPolicyDocument", { statements: [{ actions: ["s3:GetObject"], principals: [{ type: "AWS", identifiers: ["*"] }] }] });
        assert.equal(JSON.parse(String(star.json)).Statement[0].Principal, "*");
    });
});

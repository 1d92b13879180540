import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";

describe("fake cloud: caller identity, Region, partition (tools/preview/cloud/sts.ts)", () => {
    it("answers as the account's user, or as the assumed role's session", () => {
        const cloud = new FakeCloud({ region: "us-east-1" });
        const me = cloud.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} });
        assert.equal(me.accountId, ACCOUNT_ID);
        assert.match(String(me.userId), /^AIDA/);
        const role = cloud.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, account: "902117463385", roleArn: "arn:aws:iam::902117463385:role/deployer" } as never);
        assert.equal(role.arn, "arn:aws:sts::902117463385:assumed-role/deployer/offline-preview");
        assert.match(String(role.userId), /^AROA[A-Z0-9]+:offline-preview$/);
    });

    it("answers the Region and the partition with its DNS suffix", () => {
        assert.equal(new FakeCloud({ region: "eu-central-1" }).call({ token: "aws:index/getRegion:getRegion", inputs: {} }).name, "eu-central-1");
        const cn = new FakeCloud({ region: "cn-north-1" }).call({ token: "aws:index/getPartition:getPartition", inputs: {} });
        assert.deepEqual([cn.partition, cn.dnsSuffix], ["aws-cn", "amazonaws.com.cn"]);
    });
});

import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { World } from "../../../tools/preview/world";
import { call, create } from "./helpers";

describe("fake cloud: SSM Parameter Store (tools/preview/cloud/ssm.ts)", () => {
    const cloud = new FakeCloud({ region: "us-east-1" });

    it("answers AWS's public ECS AMI parameters for Amazon Linux 2023, in every account", () => {
        for (const variant of ["", "gpu/", "arm64/"]) {
            const p = call(cloud, "aws:ssm/getParameter:getParameter", { name: `/aws/service/ecs/optimized-ami/amazon-linux-2023/${variant}recommended/image_id` });
            assert.match(String(p.value), /^ami-0[0-9a-f]{16}$/);
            assert.match(String(p.arn), /^arn:aws:ssm:us-east-1::parameter\/aws\/service\/ecs\//);
        }
        const meta = call(cloud, "aws:ssm/getParameter:getParameter", { name: "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended" });
        assert.equal(JSON.parse(String(meta.value)).os, "Amazon Linux 2023");
    });

    it("fails any other name as the provider does: a retired path, a typo, an unset parameter", () => {
        for (const name of ["/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id", "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpuu/recommended/image_id", "/dev/web/db-url"]) {
            assert.throws(() => call(cloud, "aws:ssm/getParameter:getParameter", { name }), new RegExp(`^Error: reading SSM Parameter \\(${name.replace(/[/.]/g, "\\$&")}\\): couldn't find resource$`));
        }
    });

    it("answers a parameter the world holds, and one an up created", () => {
        const world = World.fresh();
        world.putParameter({ account: ACCOUNT_ID, region: "us-east-1" }, { name: "/dev/web/db-url", value: "postgres://db", type: "String" });
        const c = new FakeCloud({ region: "us-east-1", world, applies: true });
        assert.equal(call(c, "aws:ssm/getParameter:getParameter", { name: "/dev/web/db-url" }).value, "postgres://db");
        create(c, "aws:ssm/parameter:Parameter", "p", { name: "/dev/web/flag", type: "SecureString", value: "on" });
        const secure = call(c, "aws:ssm/getParameter:getParameter", { name: "/dev/web/flag" });
        assert.equal(secure.value, "on");
        assert.equal(secure.insecureValue, undefined, "no insecure_value for a SecureString");
    });
});

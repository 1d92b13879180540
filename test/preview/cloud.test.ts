import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud, MODELLED } from "../../tools/preview/cloud";
import { World } from "../../tools/preview/world";
import { call, create } from "./cloud/helpers";

/** The dispatch and state of the fake cloud (tools/preview/cloud.ts); each service has its own tests under test/preview/cloud/. */
describe("preview: the fake cloud", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("derives ids from the URN: same URN same id, other URN other id", () => {
        const a = create(cloud, "aws:ec2/vpc:Vpc", "a");
        assert.deepEqual(create(new FakeCloud({ region: "eu-central-1" }), "aws:ec2/vpc:Vpc", "a"), a);
        assert.notEqual(create(cloud, "aws:ec2/vpc:Vpc", "b").id, a.id);
    });

    it("answers a type no service file models, and lists the answer as a fallback", () => {
        const c = new FakeCloud({ region: "eu-central-1" });
        const r = create(c, "aws:s3/bucketV2:BucketV2", "b");
        assert.match(String(r.id), /^bucket-v2-0[0-9a-f]{16}$/);
        assert.match(String(r.computed.arn), new RegExp(String.raw`^arn:aws:s3:eu-central-1:${ACCOUNT_ID}:`));
        assert.deepEqual(c.fallbacks().map(f => [f.urn, f.type]), [["urn:pulumi:dev::p::aws:s3/bucketV2:BucketV2::b", "aws:s3/bucketV2:BucketV2"]]);
        assert.match(c.fallbacks()[0].why, /no service file of the offline cloud models this type/);
    });

    it("gives a provider resource a UUID id, as the engine does, without a fallback", () => {
        const c = new FakeCloud();
        assert.match(String(create(c, "pulumi:providers:aws", "p").id), /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
        assert.deepEqual(c.fallbacks(), []);
    });

    it("refuses a data source it does not model, naming it and where to model it", () => {
        assert.throws(() => call(cloud, "aws:rds/getInstance:getInstance"), /no data source 'aws:rds\/getInstance:getInstance'; model it in tools\/preview\/cloud\/<service>\.ts/);
    });

    it("answers as the account it is given, and refuses one that is not 12 digits", () => {
        const other = new FakeCloud({ region: "us-east-1", accountId: "902117463385" });
        assert.equal(call(other, "aws:index/getCallerIdentity:getCallerIdentity").accountId, "902117463385");
        assert.equal(create(other, "aws:iam/role:Role", "r", { name: "x" }).computed.arn, "arn:aws:iam::902117463385:role/x");
        assert.notEqual(ACCOUNT_ID, "123456789012");
        assert.throws(() => new FakeCloud({ accountId: "1234" }), /12 digits/);
    });

    it("as Mocks, lets the program's inputs win over what it computes (as the monitor does)", () => {
        const r = new FakeCloud().newResource({ type: "aws:ecr/repository:Repository", name: "r", inputs: { name: "mine", registryId: "000000000000" }, custom: true } as never);
        assert.equal(r.state.name, "mine");
        assert.equal(r.state.registryId, "000000000000");
    });

    it("writes what an up creates into the world, and nothing in a preview or a read", () => {
        const world = World.fresh();
        const up = new FakeCloud({ region: "us-east-1", world, applies: true });
        const vpc = create(up, "aws:ec2/vpc:Vpc", "v");
        up.resource({ type: "aws:ec2/vpc:Vpc", name: "read", urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::read", inputs: {}, custom: true, id: "vpc-0123" });
        assert.deepEqual([...world.at({ account: ACCOUNT_ID, region: "us-east-1" }).resources], [["urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v", { type: "aws:ec2/vpc:Vpc", id: vpc.id }]]);
        const previewWorld = World.fresh();
        create(new FakeCloud({ region: "us-east-1", world: previewWorld }), "aws:ec2/vpc:Vpc", "v");
        assert.deepEqual(previewWorld.describe(), []);
    });

    it("models every type and data source the shipped program uses, one service file each", () => {
        for (const t of ["aws:ec2/vpc:Vpc", "aws:lb/loadBalancer:LoadBalancer", "aws:ecr/repository:Repository", "aws:apigateway/restApi:RestApi", "aws:ssm/parameter:Parameter"]) {
            assert.ok(MODELLED.resources.includes(t), t);
        }
        for (const t of ["aws:ecr/getImage:getImage", "aws:ecr/getRepositories:getRepositories", "aws:ssm/getParameter:getParameter", "aws:ec2/getVpcEndpoint:getVpcEndpoint"]) {
            assert.ok(MODELLED.invokes.includes(t), t);
        }
    });
});

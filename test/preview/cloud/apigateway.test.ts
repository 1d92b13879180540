import { strict as assert } from "assert";
import { ACCOUNT_ID, FakeCloud } from "../../../tools/preview/cloud";
import { call, create } from "./helpers";

describe("fake cloud: API Gateway and the front door's reads (tools/preview/cloud/apigateway.ts)", () => {
    const cloud = new FakeCloud({ region: "eu-central-1" });

    it("gives a REST API a 10-character id and its execution ARN", () => {
        const api = create(cloud, "aws:apigateway/restApi:RestApi", "api");
        assert.match(String(api.id), /^[a-z0-9]{10}$/);
        assert.equal(api.computed.executionArn, `arn:aws:execute-api:eu-central-1:${ACCOUNT_ID}:${api.id}`);
    });

    it("reads the network interfaces of an interface endpoint it created, and fails one it did not", () => {
        const c = new FakeCloud({ region: "us-east-1" });
        const vpc = create(c, "aws:ec2/vpc:Vpc", "v", { cidrBlock: "10.0.0.0/16" });
        const subnet = create(c, "aws:ec2/subnet:Subnet", "s", { vpcId: vpc.id, cidrBlock: "10.0.4.0/24" });
        const ep = create(c, "aws:ec2/vpcEndpoint:VpcEndpoint", "e", { vpcEndpointType: "Interface", serviceName: "com.amazonaws.us-east-1.logs", subnetIds: [subnet.id] });
        const read = call(c, "aws:ec2/getVpcEndpoint:getVpcEndpoint", { id: ep.id });
        const eni = call(c, "aws:ec2/getNetworkInterface:getNetworkInterface", { id: (read.networkInterfaceIds as string[])[0] });
        assert.match(String(eni.privateIp), /^10\.0\.4\.\d+$/);
        assert.throws(() => call(c, "aws:ec2/getVpcEndpoint:getVpcEndpoint", { id: "vpce-0000" }), /couldn't find resource/);
    });
});

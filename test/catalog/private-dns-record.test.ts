import * as assert from "assert";
import { ownershipRecord } from "../../components/catalog/privateDns";

describe("catalog: the record that proves a service's private DNS name", () => {
    it("is the subdomain AWS names under the private DNS name, with the value AWS gives", () => {
        // The shape of EC2's PrivateDnsNameConfiguration (DescribeVpcEndpointServiceConfigurations), written out by hand.
        const config = { name: "_r4nd0mvpce", value: "vpce:l6p0ERxlTt45jevFwOCp", state: "pendingVerification" };
        assert.deepStrictEqual(ownershipRecord("payments", "payments.api.example.org", config), { name: "_r4nd0mvpce.payments.api.example.org", value: "vpce:l6p0ERxlTt45jevFwOCp" });
    });

    it("refuses to make one up when AWS returned no configuration, naming the service and the fix", () => {
        for (const config of [undefined, {}, { name: "_r4nd0mvpce" }]) {
            assert.throws(() => ownershipRecord("payments", "payments.api.example.org", config), (e: Error) =>
                /services\[payments\]\.privateDnsName payments\.api\.example\.org: AWS returned no verification record/.test(e.message) && /Fix: /.test(e.message));
        }
    });
});

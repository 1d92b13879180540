/**
 * What the fake cloud remembers of interface endpoints' network interfaces:
 * an endpoint has one network interface per subnet it is placed in, each
 * with a private IP of that subnet (AWS PrivateLink guide, "Interface VPC
 * endpoints"). Created by the EC2 handlers (./ec2.ts), read by the front
 * door's reads of an endpoint's interfaces (./apigateway.ts).
 */
import { Address4 } from "ip-address";

/** What the cloud remembers of interface endpoints and their network interfaces. */
export interface NetworkInterfaceState {
    /** Subnet id -> its CIDR block. */
    subnetCidrs: Map<string, string>;
    /** Interface endpoint id -> its network interface ids. */
    endpointInterfaces: Map<string, string[]>;
    /** Network interface id -> where it is. */
    networkInterfaces: Map<string, { subnetId: string; privateIp: string; vpcEndpointId: string }>;
}

export function newNetworkInterfaceState(): NetworkInterfaceState {
    return { subnetCidrs: new Map(), endpointInterfaces: new Map(), networkInterfaces: new Map() };
}

/**
 * A private IP of a subnet, derived from a seed: never one of the five
 * addresses AWS reserves in every subnet (the first four and the last; VPC
 * User Guide, "Subnet CIDR blocks").
 */
export function addressInSubnet(cidr: string, seedHex: string): string {
    const block = new Address4(cidr);
    const start = BigInt(block.startAddress().bigInt().toString());
    const size = 2n ** BigInt(32 - block.subnetMask);
    const usable = size > 5n ? size - 5n : 1n;
    const offset = 4n + (BigInt(`0x${seedHex}`) % usable);
    return Address4.fromBigInt(start + offset).correctForm();
}

/** The private IPs of an interface endpoint's network interfaces: remembered when the endpoint is created. */
export function rememberEndpointInterfaces(state: NetworkInterfaceState, vpcEndpointId: string, subnetIds: string[], eniIds: string[], seed: (i: number) => string): void {
    state.endpointInterfaces.set(vpcEndpointId, eniIds);
    eniIds.forEach((eni, i) => {
        const subnetId = subnetIds[i];
        const cidr = state.subnetCidrs.get(subnetId) ?? "10.0.0.0/24";
        state.networkInterfaces.set(eni, { subnetId, privateIp: addressInSubnet(cidr, seed(i)), vpcEndpointId });
    });
}

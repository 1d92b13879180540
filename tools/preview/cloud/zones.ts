/**
 * A Region's Availability Zones as the fake cloud names them: six per
 * Region, names `<region>a`…`<region>f` and zone ids `<abbr>-az1`…
 * `<abbr>-az6` (`use1-az1`: the Region's geography, direction and number;
 * EC2 User Guide, "AZ IDs"). How an account maps names to ids is
 * ./ec2.ts `accountZones`.
 */

const DIRECTIONS: Record<string, string> = {
    east: "e", west: "w", north: "n", south: "s", central: "c",
    northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
};

/** Availability zones of a region: names `us-east-1a`… and zone ids `use1-az1`… (6 of them), in the order of the ids. */
export function availabilityZones(region: string): { names: string[]; zoneIds: string[] } {
    const [geo, dir, num] = region.split("-");
    const abbr = `${geo}${DIRECTIONS[dir] ?? (dir ?? "").slice(0, 1)}${num ?? ""}`;
    const letters = ["a", "b", "c", "d", "e", "f"];
    return { names: letters.map(l => `${region}${l}`), zoneIds: letters.map((_, i) => `${abbr}-az${i + 1}`) };
}

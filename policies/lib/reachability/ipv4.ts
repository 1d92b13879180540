/** IPv4 CIDR arithmetic for the reachability model (IPv6 is not modelled: the platform's VPCs are IPv4-only). */

export interface Block {
    start: number;
    end: number;
}

export function parseCidr(cidr: string): Block | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const bits = Number(m[5]);
    if (octets.some((o) => o > 255) || bits > 32) {
        return undefined;
    }
    const ip = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const size = 2 ** (32 - bits);
    const start = Math.floor(ip / size) * size;
    return { start, end: start + size - 1 };
}

/** Whether `outer` contains all of `inner`. */
export function contains(outer: string, inner: string): boolean {
    const a = parseCidr(outer);
    const b = parseCidr(inner);
    return !!a && !!b && a.start <= b.start && b.end <= a.end;
}

export function overlaps(x: string, y: string): boolean {
    const a = parseCidr(x);
    const b = parseCidr(y);
    return !!a && !!b && a.start <= b.end && b.start <= a.end;
}

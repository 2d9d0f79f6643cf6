#!/usr/bin/env python3
"""dns-stub.py - a DNS server for tests, on 127.0.0.1 over UDP: NXDOMAIN
for the names given and every name under them, NOERROR with an empty
answer for all else. It writes its port to PORTFILE once it listens and
serves until killed. Usage: dns-stub.py PORTFILE NAME..."""
import socket, struct, sys

def qname(msg, i):
    labels = []
    while msg[i]:
        labels.append(msg[i + 1:i + 1 + msg[i]].decode("ascii", "replace").lower())
        i += 1 + msg[i]
    return ".".join(labels), i + 1

def main():
    gone = [n.lower().rstrip(".") for n in sys.argv[2:]]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(sys.argv[1], "w") as f:
        f.write(str(s.getsockname()[1]))
    while True:
        msg, peer = s.recvfrom(4096)
        if len(msg) < 12:
            continue
        name, end = qname(msg, 12)
        nx = any(name == g or name.endswith("." + g) for g in gone)
        flags = 0x8180 | (3 if nx else 0)  # QR, RD, RA; NXDOMAIN or NOERROR
        s.sendto(msg[:2] + struct.pack(">HHHHH", flags, 1, 0, 0, 0) + msg[12:end + 4], peer)

if __name__ == "__main__":
    main()
